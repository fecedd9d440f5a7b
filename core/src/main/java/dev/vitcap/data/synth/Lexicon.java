package dev.vitcap.data.synth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The words of the caption grammar and what each means; the grammar writes with them and
 * {@link Truthfulness} reads with them, so the two cannot drift apart.
 */
final class Lexicon {
    /** Numerals by value; the grammar writes up to four, the reader accepts up to nine. */
    static final List<String> NUMERALS = List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    static final String AND = "and";

    private static final Map<String, Integer> COUNTS = new HashMap<>();
    private static final Map<String, ObjectSize> SIZES = new HashMap<>();
    private static final Map<String, Colour> COLOURS = new HashMap<>();
    private static final Map<String, ShapeKind> SHAPES = new HashMap<>();
    private static final Map<String, ShapeKind> PLURAL_SHAPES = new HashMap<>();
    /**
     * Relation phrases by their head: the last word before a trailing "of" ("left" of "to the left of"),
     * or the only word; the match's length counts the "of".
     */
    private static final Map<String, RelationMatch> RELATION_HEADS = new HashMap<>();

    static {
        COUNTS.put("a", 1);
        COUNTS.put("an", 1);
        for (int n = 1; n <= NUMERALS.size(); n++) COUNTS.put(NUMERALS.get(n - 1), n);
        for (ObjectSize size : ObjectSize.values()) size.words().forEach(word -> SIZES.put(word, size));
        for (Colour colour : Colour.values()) COLOURS.put(colour.word(), colour);
        for (ShapeKind shape : ShapeKind.values()) {
            SHAPES.put(shape.word(), shape);
            PLURAL_SHAPES.put(shape.plural(), shape);
        }
        for (Relation relation : Relation.values()) {
            for (String phrase : relation.phrases()) {
                String[] words = phrase.split(" ");
                boolean endsWithOf = words.length > 1 && words[words.length - 1].equals("of");
                String head = words[words.length - (endsWithOf ? 2 : 1)];
                RELATION_HEADS.put(head, new RelationMatch(relation, endsWithOf ? 2 : 1));
            }
        }
    }

    private Lexicon() {
    }

    /** The value whose word is {@code text}; one clear message naming {@code what} otherwise. */
    static <E> E byWord(E[] values, Function<E, String> word, String text, String what) {
        for (E value : values) {
            if (word.apply(value).equals(text)) return value;
        }
        throw new IllegalArgumentException("unknown " + what + ": " + text);
    }

    /** The number a count word states, or null when the word is none. */
    static Integer count(String word) {
        return COUNTS.get(word);
    }

    static ObjectSize size(String word) {
        return SIZES.get(word);
    }

    static Colour colour(String word) {
        return COLOURS.get(word);
    }

    /** The shape a singular or plural noun names, or null. */
    static ShapeKind shape(String word) {
        ShapeKind singular = SHAPES.get(word);
        return singular != null ? singular : PLURAL_SHAPES.get(word);
    }

    static boolean isPlural(String word) {
        return PLURAL_SHAPES.containsKey(word);
    }

    /** A relation phrase found in a caption and how many words it takes from where it was found. */
    record RelationMatch(Relation relation, int length) {
    }

    /**
     * The relation phrase that starts at {@code words[at]}, or null. Only its head word (and the "of"
     * after it where the phrase has one) is required: "to the" before "left of" is filler to the reader.
     */
    static RelationMatch relationAt(List<String> words, int at) {
        RelationMatch match = RELATION_HEADS.get(words.get(at));
        if (match == null || match.length() == 1) return match;
        return at + 1 < words.size() && words.get(at + 1).equals("of") ? match : null;
    }

    /** The count word the grammar writes for {@code n} objects before {@code nextWord}. */
    static String countWord(int n, String nextWord) {
        if (n > 1) return NUMERALS.get(n - 1);
        return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a";
    }
}
