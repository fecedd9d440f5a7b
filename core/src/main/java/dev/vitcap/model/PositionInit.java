package dev.vitcap.model;

import java.util.Locale;

/**
 * How the encoder's position table starts; it is learned either way. {@code TRUNC_NORMAL} is timm's
 * (σ = 0.02, default, and what older model files without the field mean). {@code SINCOS} is the fixed
 * two-dimensional sine-cosine table of MAE: half of each token's width encodes its patch's column,
 * half its row, so left, right, above and below can be read from the first step instead of being
 * discovered. On the synthetic world a random table learned little more than reading order, and the
 * decoder said "to the left of" whatever the layout (docs/benchmarks.md, "Demo").
 */
public enum PositionInit {
    TRUNC_NORMAL, SINCOS;

    /** As the command line spells it: {@code trunc_normal} or {@code sincos}. */
    public String spelt() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The initialiser of a table of {@code classToken?1:0} + rows·cols tokens of width {@code dim}. */
    Init init(int rows, int cols, int dim, boolean classToken) {
        return this == SINCOS ? new Init.SinCos2d(rows, cols, dim, classToken) : new Init.TruncNormal(0.02);
    }
}
