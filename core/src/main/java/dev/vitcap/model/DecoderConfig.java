package dev.vitcap.model;

/**
 * The decoder's shape. {@code kind} picks the attention LSTM (Show, Attend and Tell with the β gate)
 * or the show-and-tell stack; {@code att} is unused by the latter, {@code layers} and {@code fc} by the former.
 */
public record DecoderConfig(Kind kind, int vocab, int emb, int hidden, int att, int layers, int fc, float dropout) {
    public enum Kind { ATTENTION, SHOWTELL }

    public DecoderConfig {
        if (vocab < 2 || emb < 1 || hidden < 1 || layers < 1) throw new IllegalArgumentException("bad decoder shape");
        if (kind == Kind.ATTENTION && att < 1) throw new IllegalArgumentException("the attention decoder needs att > 0");
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1)");
    }
}
