package dev.vitcap.train;

/**
 * Where a run stands, enough to continue it exactly: the recipe, the next batch to take
 * ({@code epoch}, {@code batch}), the global step, and early stopping's bookkeeping. The data order,
 * caption choices and dropout masks are all derived from the recipe's seed and these counters.
 */
public record TrainingState(TrainConfig config, int epoch, int batch, long step, double bestScore, int epochsWithoutImprovement) {
    public static TrainingState start(TrainConfig config) {
        return new TrainingState(config, 0, 0, 0, Double.NEGATIVE_INFINITY, 0);
    }
}
