package dev.vitcap.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Thompson automaton for a list of rules: each state has at most one character-set transition and
 * any number of empty transitions; the end state of rule {@code i} accepts with rule number {@code i}.
 */
final class Nfa {
    /** The character sets of every automaton built over one table, numbered for {@link CharClassMap}. */
    static final class SetTable {
        private final List<CharRanges> sets = new ArrayList<>();
        private final Map<CharRanges, Integer> index = new HashMap<>();

        int intern(CharRanges set) {
            return index.computeIfAbsent(set, s -> {
                sets.add(s);
                return sets.size() - 1;
            });
        }

        List<CharRanges> sets() {
            return sets;
        }
    }

    private final SetTable table;
    private int size;
    private int[] charSet = new int[64];
    private int[] charTarget = new int[64];
    private int[][] empty = new int[64][];
    private int[] accept = new int[64];
    final int start;

    /** An automaton accepting any of {@code rules}, each with its index as the rule number. */
    Nfa(SetTable table, List<Regex> rules) {
        this.table = table;
        start = newState();
        for (int i = 0; i < rules.size(); i++) {
            int[] fragment = build(rules.get(i));
            addEmpty(start, fragment[0]);
            accept[fragment[1]] = i;
        }
    }

    int size() {
        return size;
    }

    /** The set-table index of the state's character transition, or -1. */
    int charSet(int state) {
        return charSet[state];
    }

    int charTarget(int state) {
        return charTarget[state];
    }

    int[] empty(int state) {
        return empty[state];
    }

    /** The rule the state accepts, or -1. */
    int accept(int state) {
        return accept[state];
    }

    private int newState() {
        if (size == charSet.length) {
            int capacity = 2 * size;
            charSet = Arrays.copyOf(charSet, capacity);
            charTarget = Arrays.copyOf(charTarget, capacity);
            empty = Arrays.copyOf(empty, capacity);
            accept = Arrays.copyOf(accept, capacity);
        }
        charSet[size] = -1;
        empty[size] = new int[0];
        accept[size] = -1;
        return size++;
    }

    private void addEmpty(int from, int to) {
        int[] old = empty[from];
        int[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = to;
        empty[from] = grown;
    }

    /** Builds the states of {@code regex}; returns its entry and exit states. */
    private int[] build(Regex regex) {
        int in = newState();
        int out = newState();
        if (regex instanceof Regex.Chars chars) {
            charSet[in] = table.intern(chars.set());
            charTarget[in] = out;
        } else if (regex instanceof Regex.Concat concat) {
            int at = in;
            for (Regex part : concat.parts()) {
                int[] f = build(part);
                addEmpty(at, f[0]);
                at = f[1];
            }
            addEmpty(at, out);
        } else if (regex instanceof Regex.Alt alt) {
            for (Regex option : alt.options()) {
                int[] f = build(option);
                addEmpty(in, f[0]);
                addEmpty(f[1], out);
            }
        } else if (regex instanceof Regex.Repeat repeat) {
            buildRepeat(repeat, in, out);
        }
        return new int[] {in, out};
    }

    private void buildRepeat(Regex.Repeat repeat, int in, int out) {
        int at = in;
        for (int i = 0; i < repeat.min(); i++) {
            int[] f = build(repeat.body());
            addEmpty(at, f[0]);
            at = f[1];
        }
        if (repeat.max() < 0) {
            int[] f = build(repeat.body());
            addEmpty(at, f[0]);
            addEmpty(f[1], f[0]);
            addEmpty(f[1], out);
        } else {
            for (int i = repeat.min(); i < repeat.max(); i++) {
                int[] f = build(repeat.body());
                addEmpty(at, f[0]);
                addEmpty(at, out);
                at = f[1];
            }
        }
        addEmpty(at, out);
    }
}
