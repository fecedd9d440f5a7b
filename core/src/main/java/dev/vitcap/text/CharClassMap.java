package dev.vitcap.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Partitions the UTF-16 code units into classes that no character set of the automata tells apart,
 * so that a deterministic automaton needs one transition per class rather than per character.
 */
final class CharClassMap {
    private final char[] classOf = new char[CharRanges.MAX_CHAR + 1];
    private final int classCount;
    /** {@code members[set]} has bit {@code c} set when class {@code c} lies in that set. */
    private final long[][] members;

    CharClassMap(List<CharRanges> sets) {
        TreeSet<Integer> cuts = new TreeSet<>();
        cuts.add(0);
        for (CharRanges set : sets) {
            for (int r = 0; r < set.rangeCount(); r++) {
                cuts.add(set.start(r));
                cuts.add(set.end(r) + 1);
            }
        }
        cuts.add(CharRanges.MAX_CHAR + 1);
        int[] starts = cuts.stream().mapToInt(Integer::intValue).toArray();
        int intervals = starts.length - 1;
        int words = (sets.size() + 63) / 64;
        long[][] signature = new long[intervals][words];
        for (int s = 0; s < sets.size(); s++) {
            CharRanges set = sets.get(s);
            for (int r = 0; r < set.rangeCount(); r++) {
                int i = Arrays.binarySearch(starts, set.start(r));
                for (; starts[i] <= set.end(r); i++) {
                    signature[i][s >> 6] |= 1L << s;
                }
            }
        }
        Map<List<Long>, Integer> classes = new HashMap<>();
        int[] classOfInterval = new int[intervals];
        for (int i = 0; i < intervals; i++) {
            List<Long> key = Arrays.stream(signature[i]).boxed().toList();
            classOfInterval[i] = classes.computeIfAbsent(key, k -> classes.size());
            Arrays.fill(classOf, starts[i], starts[i + 1], (char) classOfInterval[i]);
        }
        classCount = classes.size();
        members = new long[sets.size()][(classCount + 63) / 64];
        for (int i = 0; i < intervals; i++) {
            for (int s = 0; s < sets.size(); s++) {
                if ((signature[i][s >> 6] & (1L << s)) != 0) {
                    members[s][classOfInterval[i] >> 6] |= 1L << classOfInterval[i];
                }
            }
        }
    }

    int classCount() {
        return classCount;
    }

    int classOf(char c) {
        return classOf[c];
    }

    boolean contains(int set, int charClass) {
        return (members[set][charClass >> 6] & (1L << charClass)) != 0;
    }
}
