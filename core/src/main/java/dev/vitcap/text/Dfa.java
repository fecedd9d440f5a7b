package dev.vitcap.text;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The deterministic automaton of an {@link Nfa}, built lazily: a state's transition on a character
 * class is computed the first time a text needs it (the full automaton of the lexer is large and a
 * caption set visits a small part of it).
 *
 * <p>Thread-safe: states are immutable apart from their transition slots, which hold either null
 * (not computed yet: computed under the automaton's lock) or a fully built state, so a racy read
 * sees one or the other.
 */
final class Dfa {
    static final class State {
        private final int[] nfaStates;
        /** The lowest-numbered rule accepted here, or -1. */
        final int accept;
        private final State[] next;

        private State(int[] nfaStates, int accept, int classCount) {
            this.nfaStates = nfaStates;
            this.accept = accept;
            this.next = new State[classCount];
        }
    }

    private final Nfa nfa;
    private final CharClassMap classes;
    /** States by their NFA states; an IntBuffer compares by content. */
    private final Map<IntBuffer, State> states = new HashMap<>();
    /** Scratch for closures, guarded by this. */
    private final int[] mark;
    private final int[] stack;
    private final int[] found;
    private int generation;
    final State start;
    final State dead;

    Dfa(Nfa nfa, CharClassMap classes) {
        this.nfa = nfa;
        this.classes = classes;
        mark = new int[nfa.size()];
        stack = new int[nfa.size()];
        found = new int[nfa.size()];
        dead = new State(new int[0], -1, classes.classCount());
        Arrays.fill(dead.next, dead);
        states.put(IntBuffer.wrap(dead.nfaStates), dead);
        synchronized (this) {
            start = intern(closure(new int[] {nfa.start}, 1));
        }
    }

    State step(State from, char c) {
        int charClass = classes.classOf(c);
        State to = from.next[charClass];
        return to != null ? to : transition(from, charClass);
    }

    private synchronized State transition(State from, int charClass) {
        State to = from.next[charClass];
        if (to == null) {
            int[] targets = new int[from.nfaStates.length];
            int count = 0;
            for (int s : from.nfaStates) {
                int set = nfa.charSet(s);
                if (set >= 0 && classes.contains(set, charClass)) {
                    targets[count++] = nfa.charTarget(s);
                }
            }
            to = intern(closure(targets, count));
            from.next[charClass] = to;
        }
        return to;
    }

    /** The sorted states reachable from {@code seeds[0..count)} by empty transitions. */
    private int[] closure(int[] seeds, int count) {
        generation++;
        int top = 0;
        int size = 0;
        for (int i = 0; i < count; i++) {
            if (mark[seeds[i]] != generation) {
                mark[seeds[i]] = generation;
                stack[top++] = seeds[i];
            }
        }
        while (top > 0) {
            int s = stack[--top];
            found[size++] = s;
            for (int t : nfa.empty(s)) {
                if (mark[t] != generation) {
                    mark[t] = generation;
                    stack[top++] = t;
                }
            }
        }
        int[] result = Arrays.copyOf(found, size);
        Arrays.sort(result);
        return result;
    }

    private State intern(int[] nfaStates) {
        IntBuffer key = IntBuffer.wrap(nfaStates);
        State state = states.get(key);
        if (state == null) {
            int accept = -1;
            for (int s : nfaStates) {
                int rule = nfa.accept(s);
                if (rule >= 0 && (accept < 0 || rule < accept)) {
                    accept = rule;
                }
            }
            state = new State(nfaStates, accept, classes.classCount());
            states.put(key, state);
        }
        return state;
    }
}
