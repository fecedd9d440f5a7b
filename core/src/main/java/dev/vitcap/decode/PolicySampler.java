package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;

import java.util.SplittableRandom;

/**
 * Captions drawn from the model's own distribution (temperature 1, every word), as self-critical
 * training samples them. Each word is drawn on the backend by the Gumbel-max trick: the argmax of the
 * log-probabilities plus Gumbel noise is an exact draw from the softmax, so only the chosen words come
 * back to the host, not the distribution. The noise comes from one seeded generator, so a seed gives the
 * same captions on every backend and after a resume. The mean entropy of the distributions the words
 * were drawn from (over the steps each caption was still going) comes back with them.
 */
final class PolicySampler {
    private PolicySampler() {
    }

    static Decoding.Samples decode(Captioner model, Tensor enc, int rows, int steps, int start, int end, long seed) {
        Kernels k = model.kernels;
        int vocab = model.config.decoder().vocab();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] noise = new float[rows * vocab], entropy = new float[rows];
        int[] flatIndex = new int[rows];
        boolean[] ended = new boolean[rows];
        double[] entropySum = {0};
        long[] entropyCount = {0};
        Decoded[] captions = WordByWord.decodeEncoded(model, enc, rows, steps, start, end, (step, logits, words, logProbs) -> {
            Tensor logp = step.f32(rows, vocab), scratch = step.f32(rows, vocab), ones = step.f32(vocab), rowEntropy = step.f32(rows);
            k.logSoftmax(logits, logp, rows, vocab);
            // −Σ p·log p per row, as a product with a column of ones.
            k.softmax(logits, scratch, rows, vocab, 1f);
            k.mul(scratch, logp, scratch);
            k.fill(ones, 1f);
            k.gemm(false, false, rows, 1, vocab, -1f, scratch, vocab, ones, 1, 0f, rowEntropy, 1);
            k.read(rowEntropy, entropy);
            for (int i = 0; i < noise.length; i++) noise[i] = gumbel(rng);
            k.write(scratch, noise);
            k.add(scratch, logp, scratch);
            Tensor chosen = step.i32(rows), picked = step.f32(rows, 1), flat = step.i32(rows);
            k.argmaxRows(scratch, rows, vocab, chosen);
            k.readInts(chosen, words);
            for (int r = 0; r < rows; r++) flatIndex[r] = r * vocab + words[r];
            k.writeInts(flat, flatIndex);
            k.gatherRows(rows, 1, logp, flat, picked);
            k.read(picked, logProbs);
            for (int r = 0; r < rows; r++) {
                if (ended[r]) continue;
                entropySum[0] += entropy[r];
                entropyCount[0]++;
                ended[r] = words[r] == end;
            }
        });
        return new Decoding.Samples(captions, entropyCount[0] == 0 ? 0 : entropySum[0] / entropyCount[0]);
    }

    /** −log(−log u) for u uniform in (0, 1). */
    private static float gumbel(SplittableRandom rng) {
        double u = rng.nextDouble();
        while (u == 0) u = rng.nextDouble();
        return (float) -Math.log(-Math.log(u));
    }
}
