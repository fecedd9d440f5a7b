package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;

import java.util.Arrays;
import java.util.Random;

/**
 * Sampling: each word drawn from the softmax of the logits divided by {@code temperature}, restricted
 * to the {@code topK} most likely words (0: all) and then to the smallest set whose probability
 * reaches {@code topP} (1: all). Each image draws from its own generator seeded with {@code seed}, so a
 * seed gives an image the same caption whichever batch it is decoded in. The log-probabilities
 * reported are the model's own (temperature 1).
 */
final class Sampler {
    private Sampler() {
    }

    static Decoded[] decode(Captioner model, Tensor images, int batch, int steps, int start, int end, DecodeOptions o) {
        Kernels k = model.kernels;
        int vocab = model.config.decoder().vocab();
        Random[] rng = new Random[batch];
        for (int b = 0; b < batch; b++) rng[b] = new Random(o.seed());
        float[] host = new float[batch * vocab];
        return WordByWord.decode(model, images, batch, steps, start, end, (step, logits, words, logProbs) -> {
            k.read(logits, host);
            for (int b = 0; b < batch; b++) {
                words[b] = draw(host, b * vocab, vocab, o.temperature(), o.topK(), o.topP(), rng[b]);
                logProbs[b] = logSoftmaxAt(host, b * vocab, vocab, words[b]);
            }
        });
    }

    static float logSoftmaxAt(float[] logits, int offset, int vocab, int word) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        for (int i = 0; i < vocab; i++) z += Math.exp(logits[offset + i] - max);
        return (float) (logits[offset + word] - max - Math.log(z));
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
