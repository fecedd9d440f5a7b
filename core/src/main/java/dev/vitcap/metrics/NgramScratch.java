package dev.vitcap.metrics;

/**
 * Work arrays indexed by n-gram number, so that one thread counts and looks up n-grams in constant
 * time. Every user leaves the value arrays as zero as it found them.
 */
final class NgramScratch {
    final int[] stamp;
    final int[] slot;
    final int[] count;
    final double[] weight;
    private int lastStamp;

    NgramScratch(int ngramCount) {
        stamp = new int[ngramCount];
        slot = new int[ngramCount];
        count = new int[ngramCount];
        weight = new double[ngramCount];
    }

    int nextStamp() {
        return ++lastStamp;
    }
}
