package dev.vitcap.train;

/**
 * The numbers one optimisation step needs: learning rates (the encoder's may differ, and a frozen
 * encoder takes no step), the loss's label smoothing, attention-regulariser, region-loss and position-loss weights,
 * the global gradient-norm clip, and the seed of this step's dropout masks.
 */
public record StepOptions(float lr, float encoderLr, boolean trainEncoder, float labelSmoothing, float attentionReg,
                          float regionLoss, float positionLoss, float clipNorm, long seed) {
    /** The reference training step (reference-model.md): lr 3e-4 everywhere, λ = 1, clipping at 5. */
    public static StepOptions reference(long seed) {
        return new StepOptions(3e-4f, 3e-4f, true, 0f, 1f, 0f, 0f, 5f, seed);
    }

    /** A step of a recipe: its loss weights and clipping, at this step's learning rates, the encoder training or not. */
    public static StepOptions of(TrainConfig recipe, float lr, float encoderLr, boolean trainEncoder, long seed) {
        return new StepOptions(lr, encoderLr, trainEncoder, recipe.labelSmoothing(), recipe.attentionReg(), recipe.regionLoss(), recipe.positionLoss(),
                recipe.clipNorm(), seed);
    }
}
