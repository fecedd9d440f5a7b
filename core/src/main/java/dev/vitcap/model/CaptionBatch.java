package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Tensor;

/**
 * A teacher-forced caption batch, time-major: step {@code t} of image {@code b} reads word
 * {@code captions[b][t]} and predicts {@code captions[b][t+1]}, at row {@code t·batch + b}.
 * {@code real} is 1 where the target is a word and 0 where it is padding; {@code pad} is the padding id the
 * loss ignores (-1: none). {@code weights}, when not null, weighs each row's word loss
 * ({@code [steps·batch]}): self-critical training weighs a sampled caption's words by its advantage.
 */
public record CaptionBatch(int batch, int steps, Tensor inputs, Tensor targets, Tensor real, int realCount, int pad, Tensor weights) {

    /**
     * These captions with their words reversed ({@link #reverseWords}), on the same arena: what a
     * right-to-left decoder reads. The ids are read back from the backend (one integer per row).
     */
    public CaptionBatch reversed(Arena a) {
        int[] in = a.kernels().downloadInts(inputs), out = a.kernels().downloadInts(targets);
        int[][] captions = new int[batch][steps + 1];
        for (int b = 0; b < batch; b++) {
            captions[b][0] = in[b];
            for (int t = 0; t < steps; t++) captions[b][t + 1] = out[t * batch + b];
        }
        return of(a, reverseWords(captions, pad), pad);
    }

    /**
     * Each caption with its words in reverse order: {@code <start> w1 … wN <end> pad…} becomes
     * {@code <start> wN … w1 <end> pad…}. A caption's words are the tokens between its first and its last
     * before the padding, which is its {@code <end>} (every encoded caption has one).
     */
    public static int[][] reverseWords(int[][] captions, int pad) {
        int[][] out = new int[captions.length][];
        for (int b = 0; b < captions.length; b++) {
            int[] c = captions[b].clone();
            int last = c.length - 1;
            while (last > 0 && c[last] == pad) last--;
            for (int i = 1, j = last - 1; i < j; i++, j--) {
                int t = c[i];
                c[i] = c[j];
                c[j] = t;
            }
            out[b] = c;
        }
        return out;
    }

    /** @param pad the padding id, or -1 when every position is real */
    public static CaptionBatch of(Arena a, int[][] captions, int pad) {
        return timeMajor(a, captions, pad, (b, t) -> captions[b][t + 1] != pad, null);
    }

    /**
     * Captions a model sampled, each weighed: caption b's first {@code lengths[b]} targets (its words, and
     * its {@code <end>} when it ended) are real and weigh {@code weights[b]}; what follows is padding.
     * Every word id counts, {@code <pad>} included, as the sampler could draw any.
     */
    public static CaptionBatch sampled(Arena a, int[][] captions, int[] lengths, float[] weights) {
        return timeMajor(a, captions, -1, (b, t) -> t < lengths[b], weights);
    }

    /** Whether caption {@code b}'s target at step {@code t} is real (counts in the loss). */
    private interface RealTarget {
        boolean at(int b, int t);
    }

    /**
     * The captions laid out time-major, with their real targets marked and, given per-caption weights, their
     * rows weighed. The steps end with the batch's last real target: the steps after it read and predict
     * only padding, which the loss ignores and which cannot change an earlier step, so running them would
     * only cost time (a batch of short captions in a model of long ones runs a fraction of its steps).
     */
    private static CaptionBatch timeMajor(Arena a, int[][] captions, int pad, RealTarget isReal, float[] weights) {
        int batch = captions.length, length = captions[0].length - 1, steps = 1;
        for (int b = 0; b < batch; b++) {
            if (captions[b].length != length + 1) throw new IllegalArgumentException("captions of different lengths in one batch");
            for (int t = length - 1; t >= steps; t--) {
                if (isReal.at(b, t)) {
                    steps = t + 1;
                    break;
                }
            }
        }
        int n = batch * steps;
        int[] in = new int[n], out = new int[n];
        float[] real = new float[n], rowWeights = weights == null ? null : new float[n];
        int count = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int row = t * batch + b;
                in[row] = captions[b][t];
                out[row] = captions[b][t + 1];
                if (isReal.at(b, t)) {
                    real[row] = 1f;
                    if (rowWeights != null) rowWeights[row] = weights[b];
                    count++;
                }
            }
        }
        var k = a.kernels();
        return new CaptionBatch(batch, steps, a.keep(k.uploadInts(in, n)), a.keep(k.uploadInts(out, n)), a.keep(k.upload(real, n)), count, pad,
                rowWeights == null ? null : a.keep(k.upload(rowWeights, n)));
    }
}
