package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;

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
        float[] host = new float[batch * vocab];
        return WordByWord.decode(model, images, batch, steps, start, end, (step, logits, words) -> {
            k.read(logits, host);
            for (int b = 0; b < batch; b++) words[b] = draw(host, b * vocab, vocab, temperature, topK, topP, rng);
        });
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
