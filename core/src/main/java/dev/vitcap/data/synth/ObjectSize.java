package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/** The two sizes of an object, as a share of its grid cell; far enough apart to survive the size jitter. */
public enum ObjectSize {
    SMALL(0.58, "small", "little"),
    LARGE(0.9, "large", "big");

    private final double cellShare;
    private final List<String> words;

    ObjectSize(double cellShare, String... words) {
        this.cellShare = cellShare;
        this.words = List.of(words);
    }

    /** The object's nominal diameter as a share of the cell side. */
    double cellShare() {
        return cellShare;
    }

    /** The words for this size, the usual one first. */
    public List<String> words() {
        return words;
    }

    @JsonValue
    public String word() {
        return words.get(0);
    }

    @JsonCreator
    public static ObjectSize ofWord(String word) {
        return Lexicon.byWord(values(), ObjectSize::word, word, "size");
    }
}
