package dev.vitcap.train;

import dev.vitcap.settings.Range;

/**
 * A training recipe. The encoder can be frozen for its first epochs and then fine-tuned at its own
 * learning rate; {@code patience} epochs without a better validation CIDEr-D stop training early;
 * {@code regionLoss} weighs the auxiliary region loss where the model and data have one;
 * {@code positionLoss} weighs the auxiliary position loss ({@link dev.vitcap.model.PositionHead});
 * {@code consensusReference} trains on each image's {@link ConsensusReferences consensus} reference
 * instead of a randomly drawn one; {@code selfCritical}, when not null, makes the run self-critical
 * training ({@link SelfCritical}) instead of cross-entropy. Build one by name from the defaults:
 * {@code TrainConfig.builder().epochs(20).lr(2e-3f).build()}.
 */
public record TrainConfig(int epochs, int batchSize, float lr, float encoderLr, float weightDecay, int warmupSteps,
                          float minLrRatio, float clipNorm, float labelSmoothing, float attentionReg, float regionLoss,
                          float positionLoss, boolean consensusReference, int freezeEncoderEpochs, int patience, long seed, SelfCritical selfCritical) {
    /** The allowed values of each setting, which {@code vitcap train} checks its options against too. */
    public static final Range EPOCHS = Range.atLeast(1), BATCH_SIZE = Range.atLeast(1), LR = Range.above(0), ENCODER_LR = Range.atLeast(0),
            WEIGHT_DECAY = Range.atLeast(0), WARMUP_STEPS = Range.atLeast(0), MIN_LR_RATIO = Range.between(0, 1), CLIP_NORM = Range.atLeast(0),
            LABEL_SMOOTHING = Range.fromUpTo(0, 1), LOSS_WEIGHT = Range.atLeast(0), FREEZE_ENCODER_EPOCHS = Range.atLeast(0), PATIENCE = Range.atLeast(0);

    public TrainConfig {
        EPOCHS.check("epochs", epochs);
        BATCH_SIZE.check("batch size", batchSize);
        LR.check("learning rate", lr);
        ENCODER_LR.check("encoder learning rate", encoderLr);
        WEIGHT_DECAY.check("weight decay", weightDecay);
        WARMUP_STEPS.check("warm-up steps", warmupSteps);
        MIN_LR_RATIO.check("minimum learning-rate ratio", minLrRatio);
        CLIP_NORM.check("gradient clip", clipNorm);
        LABEL_SMOOTHING.check("label smoothing", labelSmoothing);
        LOSS_WEIGHT.check("attention regulariser weight", attentionReg);
        LOSS_WEIGHT.check("region loss weight", regionLoss);
        LOSS_WEIGHT.check("position loss weight", positionLoss);
        FREEZE_ENCODER_EPOCHS.check("encoder freeze epochs", freezeEncoderEpochs);
        PATIENCE.check("patience", patience);
    }

    public TrainConfig withEpochs(int n) {
        return toBuilder().epochs(n).build();
    }

    /** The defaults: 10 epochs of 32 images, AdamW at 1e-3 (encoder 3e-4) with decay 0.01, 200 warm-up steps, clip 5, label smoothing 0.1. */
    public static TrainConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).lr(lr).encoderLr(encoderLr).weightDecay(weightDecay)
                .warmupSteps(warmupSteps).minLrRatio(minLrRatio).clipNorm(clipNorm).labelSmoothing(labelSmoothing)
                .attentionReg(attentionReg).regionLoss(regionLoss).positionLoss(positionLoss).consensusReference(consensusReference)
                .freezeEncoderEpochs(freezeEncoderEpochs).patience(patience).seed(seed).selfCritical(selfCritical);
    }

    public static final class Builder {
        private int epochs = 10, batchSize = 32, warmupSteps = 200, freezeEncoderEpochs = 1, patience = 3;
        private float lr = 1e-3f, encoderLr = 3e-4f, weightDecay = 0.01f, minLrRatio = 0.05f, clipNorm = 5f, labelSmoothing = 0.1f,
                attentionReg = 1f, regionLoss = 0f, positionLoss = 0f;
        private boolean consensusReference;
        private long seed = 42;
        private SelfCritical selfCritical;

        private Builder() {
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Peak learning rate of the decoder. */
        public Builder lr(float v) {
            lr = v;
            return this;
        }

        /** Peak learning rate of the encoder once it trains. */
        public Builder encoderLr(float v) {
            encoderLr = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        /** Cosine decay ends at this fraction of the peak. */
        public Builder minLrRatio(float v) {
            minLrRatio = v;
            return this;
        }

        /** Global gradient-norm clip (0: none). */
        public Builder clipNorm(float v) {
            clipNorm = v;
            return this;
        }

        public Builder labelSmoothing(float v) {
            labelSmoothing = v;
            return this;
        }

        /** Weight λ of the doubly stochastic attention regulariser. */
        public Builder attentionReg(float v) {
            attentionReg = v;
            return this;
        }

        /** Weight of the auxiliary region loss, where the model has a region head. */
        public Builder regionLoss(float v) {
            regionLoss = v;
            return this;
        }

        /** Weight of the auxiliary position loss: the model gets a position head when it is above 0. */
        public Builder positionLoss(float v) {
            positionLoss = v;
            return this;
        }

        public Builder consensusReference(boolean v) {
            consensusReference = v;
            return this;
        }

        public Builder freezeEncoderEpochs(int v) {
            freezeEncoderEpochs = v;
            return this;
        }

        /** Epochs without a better validation CIDEr-D before stopping (0: never). */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Self-critical training instead of cross-entropy (null: cross-entropy). */
        public Builder selfCritical(SelfCritical v) {
            selfCritical = v;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, lr, encoderLr, weightDecay, warmupSteps, minLrRatio, clipNorm, labelSmoothing,
                    attentionReg, regionLoss, positionLoss, consensusReference, freezeEncoderEpochs, patience, seed, selfCritical);
        }
    }
}
