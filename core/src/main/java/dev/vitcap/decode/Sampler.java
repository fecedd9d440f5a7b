package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

import java.util.Arrays;
import java.util.Random;

/**
 * Sampling: each word drawn from the softmax of the logits divided by {@code temperature}, restricted
 * to the {@code topK} most likely words (0: all) and then to the smallest set whose probability
 * reaches {@code topP} (1: all). Seeded, so a seed gives the same captions.
 */
public final class Sampler {
    private Sampler() {
    }

    public static int[][] decode(Captioner model, Tensor images, int batch, int steps, int start, int end,
                                 float temperature, int topK, float topP, long seed) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be positive");
        Kernels k = model.kernels;
        int vocab = model.config.decoder().vocab();
        Random rng = new Random(seed);
        Captions out = new Captions(batch, steps, end);
        int[] current = new int[batch];
        Arrays.fill(current, start);
        float[] logits = new float[batch * vocab];
        try (Arena a = new Arena(k)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            Decoder.State state = a.keep(model.decoder.start(a, enc, batch, model.tokens()));
            Tensor ids = a.i32(batch);
            for (int t = 0; t < steps && out.anyAlive(); t++) {
                k.writeInts(ids, current);
                try (Arena step = new Arena(k)) {
                    k.read(model.decoder.step(step, state, ids), logits);
                }
                for (int b = 0; b < batch; b++) current[b] = draw(logits, b * vocab, vocab, temperature, topK, topP, rng);
                out.add(current);
            }
        }
        return out.words();
    }

    static int draw(float[] logits, int offset, int vocab, float temperature, int topK, float topP, Random rng) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(logits[offset + y], logits[offset + x]));
        int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
        double max = logits[offset + order[0]] / temperature;
        double[] p = new double[keep];
        double z = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[offset + order[i]] / temperature - max);
            z += p[i];
        }
        int nucleus = keep;
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            mass += p[i] / z;
            if (mass >= topP) {
                nucleus = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < nucleus; i++) total += p[i];
        double u = rng.nextDouble() * total;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u <= 0) return order[i];
        }
        return order[nucleus - 1];
    }
}
