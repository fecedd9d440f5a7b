package dev.vitcap.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;

/**
 * Where a run stands, enough to continue it exactly: the recipe, the next batch to take
 * ({@code epoch}, {@code batch}), the global step, and early stopping's bookkeeping. The data order,
 * caption choices and dropout masks are all derived from the recipe's seed and these counters.
 */
public record TrainingState(TrainConfig config, int epoch, int batch, long step, double bestScore, int epochsWithoutImprovement) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrainingState start(TrainConfig config) {
        return new TrainingState(config, 0, 0, 0, Double.NEGATIVE_INFINITY, 0);
    }

    /** The form a checkpoint keeps. */
    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    /** Reads the training state a checkpoint {@code where} kept. */
    public static TrainingState fromJson(JsonNode node, String where) throws FileFormatException {
        if (node == null || node.isNull()) throw new FileFormatException(where + ": the checkpoint holds no training state (not a run's last.json?)");
        try {
            return JSON.treeToValue(node, TrainingState.class);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(where + ": malformed training state (" + JsonErrors.problem(e) + ")");
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(where + ": malformed training state (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }
}
