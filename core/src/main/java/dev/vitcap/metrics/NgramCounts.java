package dev.vitcap.metrics;

import java.util.Arrays;

/**
 * The n-gram counts of one caption, per order k (n = k + 1), the distinct n-grams in the order they
 * first occur: the order the reference code sums in (its counts are Python dicts, which keep
 * insertion order).
 */
final class NgramCounts {
    /** Words in the caption. */
    final int length;
    /** {@code ids[k]}: the distinct (k+1)-grams; {@code counts[k]}: how often each occurs. */
    final int[][] ids;
    final int[][] counts;

    NgramCounts(int[][] ngramsByOrder, NgramScratch scratch) {
        length = ngramsByOrder[0].length;
        ids = new int[ngramsByOrder.length][];
        counts = new int[ngramsByOrder.length][];
        for (int k = 0; k < ngramsByOrder.length; k++) {
            int[] grams = ngramsByOrder[k];
            int[] id = new int[grams.length];
            int[] count = new int[grams.length];
            int distinct = 0;
            int stamp = scratch.nextStamp();
            for (int gram : grams) {
                if (scratch.stamp[gram] != stamp) {
                    scratch.stamp[gram] = stamp;
                    scratch.slot[gram] = distinct;
                    id[distinct++] = gram;
                }
                count[scratch.slot[gram]]++;
            }
            ids[k] = Arrays.copyOf(id, distinct);
            counts[k] = Arrays.copyOf(count, distinct);
        }
    }
}
