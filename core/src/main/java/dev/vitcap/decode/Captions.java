package dev.vitcap.decode;

import java.util.Arrays;

/** The words a batch has produced so far, step by step: each image's caption ends at its first {@code <end>}. */
final class Captions {
    private final int[][] words;
    private final int[] lengths;
    private final boolean[] done;
    private final int end;
    private int alive;

    Captions(int batch, int steps, int end) {
        this.words = new int[batch][steps];
        this.lengths = new int[batch];
        this.done = new boolean[batch];
        this.end = end;
        this.alive = batch;
    }

    /** Adds one step's word for every image (ignored for images already ended). */
    void add(int[] step) {
        for (int b = 0; b < step.length; b++) {
            if (done[b]) continue;
            if (step[b] == end) {
                done[b] = true;
                alive--;
            } else {
                words[b][lengths[b]++] = step[b];
            }
        }
    }

    boolean anyAlive() {
        return alive > 0;
    }

    int[][] words() {
        int[][] out = new int[words.length][];
        for (int b = 0; b < words.length; b++) out[b] = Arrays.copyOf(words[b], lengths[b]);
        return out;
    }
}
