package dev.vitcap.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.Param;
import dev.vitcap.model.WeightSource;
import dev.vitcap.train.AdamW;
import dev.vitcap.train.TrainingState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint is two files: {@code NAME.safetensors} (the weights under {@code encoder.}/{@code decoder.}
 * names and, for a training run, AdamW's moments under {@code optim.m.}/{@code optim.v.}) and
 * {@code NAME.json} (the model's shape, the vocabulary, the optimiser's step counts and where training
 * stands). Each is written under a temporary name and renamed; the JSON, written last, records the
 * weights file's size so a pair from two different saves is refused.
 */
public record Checkpoint(ModelConfig model, JsonNode vocabulary, TrainingState training, Map<String, WeightSource> tensors,
                         Map<String, Integer> optimizerSteps) {
    public static final String FORMAT = "vitcap-checkpoint-1";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path weightsFile(Path json) {
        String name = json.getFileName().toString();
        return json.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".safetensors");
    }

    /** Saves a model (and, when {@code optimizer} is not null, its optimiser state) to {@code json} and its weights file. */
    public static void save(Path json, Captioner model, AdamW optimizer, JsonNode vocabulary, TrainingState training) throws IOException {
        Kernels k = model.kernels;
        Map<String, WeightSource> tensors = new LinkedHashMap<>();
        Map<String, Integer> steps = new LinkedHashMap<>();
        for (Captioner.Named n : model.parameters()) tensors.put(n.name(), host(k, n.param(), n.param().value()));
        if (optimizer != null) {
            for (Captioner.Named n : model.parameters()) {
                AdamW.State s = optimizer.state(n.param());
                if (s.step == 0) continue;
                tensors.put("optim.m." + n.name(), host(k, n.param(), s.m));
                tensors.put("optim.v." + n.name(), host(k, n.param(), s.v));
                steps.put(n.name(), s.step);
            }
        }
        Path weights = weightsFile(json);
        SafeTensors.write(weights, tensors, Map.of("format", FORMAT));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("weights", weights.getFileName().toString());
        root.put("weights_bytes", Files.size(weights));
        root.set("model", JSON.valueToTree(model.config));
        if (vocabulary != null) root.set("vocabulary", vocabulary);
        if (training != null) root.set("training", JSON.valueToTree(training));
        root.set("optimizer_steps", JSON.valueToTree(steps));
        AtomicFiles.writeString(json, JSON.writeValueAsString(root));
    }

    private static WeightSource host(Kernels k, Param p, dev.vitcap.kernel.Tensor t) {
        return new WeightSource(p.shape(), k.download(t));
    }

    public static Checkpoint load(Path json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw new WeightsException(json + ": not valid JSON (" + e.getOriginalMessage() + ", line " + e.getLocation().getLineNr() + ")");
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new WeightsException(json + ": no such checkpoint");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) throw new WeightsException(json + ": not a vitcap checkpoint");
        Path weights = json.resolveSibling(root.path("weights").asText());
        if (!Files.exists(weights)) throw new WeightsException(weights + ": the checkpoint's weights file is missing");
        if (Files.size(weights) != root.path("weights_bytes").asLong(-1)) {
            throw new WeightsException(weights + ": does not belong to " + json + " (size differs: a partial or mixed save)");
        }
        try {
            ModelConfig model = JSON.treeToValue(root.get("model"), ModelConfig.class);
            TrainingState training = root.has("training") ? JSON.treeToValue(root.get("training"), TrainingState.class) : null;
            Map<String, Integer> steps = new LinkedHashMap<>();
            root.path("optimizer_steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asInt()));
            return new Checkpoint(model, root.get("vocabulary"), training, SafeTensors.read(weights).tensors(), steps);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WeightsException(json + ": malformed checkpoint (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** Puts the saved weights (and optimiser state, when given an optimiser) into a model of the saved shape. */
    public void restore(Captioner model, AdamW optimizer) throws WeightsException {
        try {
            model.encoderParams.load(tensors, "encoder.");
            model.decoderParams.load(tensors, "decoder.");
            model.auxParams.load(tensors, "aux.");
        } catch (IllegalArgumentException e) {
            throw new WeightsException("checkpoint does not fit the model: " + e.getMessage());
        }
        if (optimizer == null) return;
        for (Captioner.Named n : model.parameters()) {
            Integer step = optimizerSteps.get(n.name());
            if (step == null) continue;
            AdamW.State s = optimizer.state(n.param());
            model.kernels.write(s.m, tensors.get("optim.m." + n.name()).data());
            model.kernels.write(s.v, tensors.get("optim.v." + n.name()).data());
            s.step = step;
        }
    }
}
