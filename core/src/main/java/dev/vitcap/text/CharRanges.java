package dev.vitcap.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable set of UTF-16 code units, kept as sorted, disjoint, non-adjacent inclusive ranges. */
final class CharRanges {
    static final int MAX_CHAR = 0xFFFF;
    static final CharRanges ALL = new CharRanges(new int[] {0, MAX_CHAR});

    /** Pairs {@code start, end} (inclusive), ascending. */
    private final int[] bounds;

    private CharRanges(int[] bounds) {
        this.bounds = bounds;
    }

    static CharRanges of(char c) {
        return new CharRanges(new int[] {c, c});
    }

    static CharRanges range(char first, char last) {
        if (first > last) {
            throw new IllegalArgumentException("empty range " + (int) first + "-" + (int) last);
        }
        return new CharRanges(new int[] {first, last});
    }

    /** The set of the given characters. */
    static CharRanges chars(String chars) {
        CharRanges set = new CharRanges(new int[0]);
        for (int i = 0; i < chars.length(); i++) {
            set = set.union(of(chars.charAt(i)));
        }
        return set;
    }

    int rangeCount() {
        return bounds.length / 2;
    }

    int start(int range) {
        return bounds[2 * range];
    }

    int end(int range) {
        return bounds[2 * range + 1];
    }

    boolean contains(char c) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (c < bounds[i]) {
                return false;
            }
            if (c <= bounds[i + 1]) {
                return true;
            }
        }
        return false;
    }

    CharRanges union(CharRanges other) {
        int[] all = new int[bounds.length + other.bounds.length];
        System.arraycopy(bounds, 0, all, 0, bounds.length);
        System.arraycopy(other.bounds, 0, all, bounds.length, other.bounds.length);
        return normalized(all);
    }

    CharRanges complement() {
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] > next) {
                out.add(next);
                out.add(bounds[i] - 1);
            }
            next = bounds[i + 1] + 1;
        }
        if (next <= MAX_CHAR) {
            out.add(next);
            out.add(MAX_CHAR);
        }
        return new CharRanges(out.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Sorts and merges arbitrary (possibly overlapping) pairs. */
    private static CharRanges normalized(int[] pairs) {
        int n = pairs.length / 2;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = ((long) pairs[2 * i] << 32) | pairs[2 * i + 1];
        }
        Arrays.sort(packed);
        int[] out = new int[pairs.length];
        int size = 0;
        for (long p : packed) {
            int start = (int) (p >>> 32);
            int end = (int) p;
            if (size > 0 && start <= out[size - 1] + 1) {
                out[size - 1] = Math.max(out[size - 1], end);
            } else {
                out[size++] = start;
                out[size++] = end;
            }
        }
        return new CharRanges(Arrays.copyOf(out, size));
    }

    /** Parses ranges written as {@code 0041-005A 00AA ...} (hexadecimal). */
    static CharRanges parseHex(String[] items) {
        int[] pairs = new int[2 * items.length];
        for (int i = 0; i < items.length; i++) {
            int dash = items[i].indexOf('-');
            pairs[2 * i] = Integer.parseInt(dash < 0 ? items[i] : items[i].substring(0, dash), 16);
            pairs[2 * i + 1] = Integer.parseInt(dash < 0 ? items[i] : items[i].substring(dash + 1), 16);
        }
        return normalized(pairs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharRanges other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }
}
