package dev.vitcap.model;

/**
 * Which way a model's decoders read captions: left to right (the usual), right to left (trained on each
 * caption's words reversed, {@code <start> wN … w1 <end>}), or both, two decoders on one shared encoder.
 */
public enum Directions {
    L2R, R2L, BOTH;

    public boolean leftToRight() {
        return this != R2L;
    }

    public boolean rightToLeft() {
        return this != L2R;
    }

    /** As the command line spells it: {@code l2r}, {@code r2l} or {@code both}. */
    public String spelt() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
