package dev.vitcap.train;

/**
 * A training recipe. The encoder can be frozen for its first epochs and then fine-tuned at its own
 * learning rate; {@code patience} epochs without a better validation CIDEr-D stop training early;
 * {@code regionLoss} weighs the auxiliary region loss where the model and data have one;
 * {@code consensusReference} trains on each image's {@link ConsensusReferences consensus} reference
 * instead of a randomly drawn one.
 */
public record TrainConfig(int epochs, int batchSize, float lr, float encoderLr, float weightDecay, int warmupSteps,
                          float minLrRatio, float clipNorm, float labelSmoothing, float attentionReg, float regionLoss,
                          boolean consensusReference, int freezeEncoderEpochs, int patience, long seed) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1");
        if (lr <= 0 || encoderLr < 0) throw new IllegalArgumentException("learning rates must be positive");
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, batchSize, lr, encoderLr, weightDecay, warmupSteps, minLrRatio, clipNorm, labelSmoothing, attentionReg,
                regionLoss, consensusReference, freezeEncoderEpochs, patience, seed);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(10, 32, 1e-3f, 3e-4f, 0.01f, 200, 0.05f, 5f, 0.1f, 1f, 0f, false, 1, 3, 42);
    }
}
