package dev.vitcap.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers words and the n-grams (n = 1..4) built from them, so that the metrics count and compare
 * integers. An n-gram's number is that of the pair (number of its first n-1 words, its last word), so
 * equal numbers mean equal word sequences of equal length.
 *
 * <p>An index may extend a parent, which it only reads: everything the parent knows keeps the parent's
 * number, anything new gets a number past them (used to score against document frequencies fixed from
 * a training corpus without changing them). Not thread-safe for writing.
 */
final class NgramIndex {
    static final int MAX_N = 4;
    private static final long EMPTY = -1L;

    private final NgramIndex parent;
    private final Map<String, Integer> words = new HashMap<>();
    private final int firstWord;
    private final int firstNgram;
    private int wordCount;
    private int ngramCount;
    /** Open addressing: keys (prefix number + 1) << 32 | word number, values n-gram numbers. */
    private long[] keys = new long[1 << 12];
    private int[] values = new int[1 << 12];

    NgramIndex() {
        this(null);
    }

    NgramIndex(NgramIndex parent) {
        this.parent = parent;
        firstWord = parent == null ? 0 : parent.wordCount();
        firstNgram = parent == null ? 0 : parent.ngramCount();
        Arrays.fill(keys, EMPTY);
    }

    int wordCount() {
        return firstWord + wordCount;
    }

    int ngramCount() {
        return firstNgram + ngramCount;
    }

    int word(String word) {
        if (parent != null) {
            Integer known = parent.words.get(word);
            if (known != null) {
                return known;
            }
        }
        Integer id = words.get(word);
        if (id == null) {
            id = firstWord + wordCount++;
            words.put(word, id);
        }
        return id;
    }

    int[] words(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = word(tokens.get(i));
        }
        return ids;
    }

    /** {@code result[k][i]} numbers the (k+1)-gram at position {@code i}. */
    int[][] ngrams(int[] wordIds) {
        int[][] byOrder = new int[MAX_N][];
        byOrder[0] = new int[wordIds.length];
        for (int i = 0; i < wordIds.length; i++) {
            byOrder[0][i] = ngram(-1, wordIds[i]);
        }
        for (int k = 1; k < MAX_N; k++) {
            int count = Math.max(0, wordIds.length - k);
            byOrder[k] = new int[count];
            for (int i = 0; i < count; i++) {
                byOrder[k][i] = ngram(byOrder[k - 1][i], wordIds[i + k]);
            }
        }
        return byOrder;
    }

    private int ngram(int prefix, int word) {
        long key = ((long) (prefix + 1) << 32) | word;
        if (parent != null) {
            int known = parent.find(key);
            if (known >= 0) {
                return known;
            }
        }
        int slot = slot(key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            values[slot] = firstNgram + ngramCount++;
            if (2 * ngramCount > keys.length) {
                grow();
            }
            return firstNgram + ngramCount - 1;
        }
        return values[slot];
    }

    private int find(long key) {
        int slot = slot(key);
        return keys[slot] == EMPTY ? -1 : values[slot];
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(keys.length)));
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
