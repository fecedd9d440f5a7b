package dev.vitcap.model;

/**
 * How a teacher-forced pass runs: dropout on or off (with the seed of its masks), the label
 * smoothing of the cross-entropy, the weight λ of the attention regulariser, the weight of the
 * auxiliary region loss (used only when the model has a region head and the batch has labels), and that
 * of the position loss (used only when the model has a position head).
 */
public record PassOptions(boolean training, long seed, float labelSmoothing, float attentionReg, float regionLoss, float positionLoss) {
    public PassOptions(boolean training, long seed, float labelSmoothing, float attentionReg) {
        this(training, seed, labelSmoothing, attentionReg, 0f, 0f);
    }

    /** Evaluation mode with the reference loss (no smoothing, λ = 1), as the fixtures were made. */
    public static PassOptions reference() {
        return new PassOptions(false, 0, 0f, 1f);
    }
}
