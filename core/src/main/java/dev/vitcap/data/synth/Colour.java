package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The colours of the world: saturated or extreme, at least 95 apart in RGB from each other and far from
 * the muted mid-grey backgrounds, so each stays recognisable after antialiasing at small sizes.
 */
public enum Colour {
    RED("red", 220, 30, 30),
    ORANGE("orange", 255, 140, 0),
    YELLOW("yellow", 250, 230, 40),
    GREEN("green", 30, 170, 50),
    BLUE("blue", 30, 80, 235),
    PURPLE("purple", 150, 50, 200),
    WHITE("white", 245, 245, 245),
    BLACK("black", 20, 20, 20);

    private final String word;
    private final int rgb;

    Colour(String word, int red, int green, int blue) {
        this.word = word;
        this.rgb = red << 16 | green << 8 | blue;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** Packed 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    @JsonCreator
    public static Colour ofWord(String word) {
        return Lexicon.byWord(values(), Colour::word, word, "colour");
    }
}
