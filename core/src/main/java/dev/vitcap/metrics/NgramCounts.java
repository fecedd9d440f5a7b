package dev.vitcap.metrics;

import java.util.Arrays;

/**
 * The n-gram counts of one caption, per order k (n = k + 1): the distinct n-grams sorted by number
 * for look-ups, and the order in which they first occur, which is the order the reference code sums
 * in (its counts are Python dicts, which keep insertion order).
 */
final class NgramCounts {
    /** Words in the caption. */
    final int length;
    /** {@code ids[k]}: the distinct (k+1)-grams, ascending; {@code counts[k]}: how often each occurs. */
    final int[][] ids;
    final int[][] counts;
    /** {@code firstOrder[k][j]}: the index in {@code ids[k]} of the j-th distinct n-gram to occur. */
    final int[][] firstOrder;

    NgramCounts(int[][] ngramsByOrder) {
        length = ngramsByOrder[0].length;
        int orders = ngramsByOrder.length;
        ids = new int[orders][];
        counts = new int[orders][];
        firstOrder = new int[orders][];
        for (int k = 0; k < orders; k++) {
            int[] grams = ngramsByOrder[k];
            // Sorting (number << 32 | position) groups equal n-grams, each led by its first position.
            long[] byId = new long[grams.length];
            for (int i = 0; i < grams.length; i++) {
                byId[i] = ((long) grams[i] << 32) | i;
            }
            Arrays.sort(byId);
            int distinct = 0;
            int[] id = new int[grams.length];
            int[] count = new int[grams.length];
            long[] byFirstPosition = new long[grams.length];
            for (long entry : byId) {
                int gram = (int) (entry >>> 32);
                if (distinct > 0 && id[distinct - 1] == gram) {
                    count[distinct - 1]++;
                } else {
                    id[distinct] = gram;
                    count[distinct] = 1;
                    byFirstPosition[distinct] = (entry << 32) | distinct;
                    distinct++;
                }
            }
            ids[k] = Arrays.copyOf(id, distinct);
            counts[k] = Arrays.copyOf(count, distinct);
            byFirstPosition = Arrays.copyOf(byFirstPosition, distinct);
            Arrays.sort(byFirstPosition);
            firstOrder[k] = new int[distinct];
            for (int j = 0; j < distinct; j++) {
                firstOrder[k][j] = (int) byFirstPosition[j];
            }
        }
    }

    /** The index in {@code ids[k]} of the (k+1)-gram {@code id}, or a negative number if absent. */
    int find(int k, int id) {
        return Arrays.binarySearch(ids[k], id);
    }

    /** How often the (k+1)-gram {@code id} occurs. */
    int count(int k, int id) {
        int at = find(k, id);
        return at >= 0 ? counts[k][at] : 0;
    }
}
