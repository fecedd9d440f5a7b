package dev.vitcap.decode;

import java.util.Arrays;
import java.util.List;

/** The words a batch has produced so far, step by step: each image's caption ends at its first {@code <end>}. */
final class Captions {
    private final int[][] words;
    private final float[][] logProbs;
    private final double[] total;
    private final int[] lengths;
    private final boolean[] done;
    private final int end;
    private int alive;

    Captions(int batch, int steps, int end) {
        this.words = new int[batch][steps];
        this.logProbs = new float[batch][steps];
        this.total = new double[batch];
        this.lengths = new int[batch];
        this.done = new boolean[batch];
        this.end = end;
        this.alive = batch;
    }

    /** Adds one step's word and its log-probability for every image (ignored for images already ended). */
    void add(int[] step, float[] stepLogProbs) {
        for (int b = 0; b < step.length; b++) {
            if (done[b]) continue;
            total[b] += stepLogProbs[b];
            if (step[b] == end) {
                done[b] = true;
                alive--;
            } else {
                logProbs[b][lengths[b]] = stepLogProbs[b];
                words[b][lengths[b]++] = step[b];
            }
        }
    }

    boolean anyAlive() {
        return alive > 0;
    }

    Decoded[] decoded() {
        Decoded[] out = new Decoded[words.length];
        for (int b = 0; b < words.length; b++) {
            out[b] = new Decoded(Arrays.copyOf(words[b], lengths[b]), Arrays.copyOf(logProbs[b], lengths[b]), total[b], total[b], done[b], List.of());
        }
        return out;
    }
}
