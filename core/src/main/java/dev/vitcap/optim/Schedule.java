package dev.vitcap.optim;

/** Linear warm-up to the peak learning rate, then cosine decay to {@code minRatio} of it at the last step. */
public record Schedule(float peak, int warmupSteps, int totalSteps, float minRatio) {
    public float at(long step) {
        if (warmupSteps > 0 && step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / span);
        return (float) (peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}
