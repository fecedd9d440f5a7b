package dev.vitcap.model;

/**
 * How a teacher-forced pass runs: dropout on or off (with the seed of its masks), the label
 * smoothing of the cross-entropy and the weight λ of the attention regulariser.
 */
public record PassOptions(boolean training, long seed, float labelSmoothing, float attentionReg) {
    /** Evaluation mode with the reference loss (no smoothing, λ = 1), as the fixtures were made. */
    public static PassOptions reference() {
        return new PassOptions(false, 0, 0f, 1f);
    }
}
