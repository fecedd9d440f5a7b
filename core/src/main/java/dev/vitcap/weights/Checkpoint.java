package dev.vitcap.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.io.Missing;
import dev.vitcap.io.UserText;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.ModelSummary;
import dev.vitcap.model.Param;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.WeightSource;
import dev.vitcap.optim.AdamW;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A checkpoint is two files: {@code NAME.json} and the weights it names, {@code NAME.HASH.safetensors}
 * (the weights under {@code encoder.}/{@code decoder.}/{@code decoder_r2l.} names and, for a training run, AdamW's moments
 * under {@code optim.m.}/{@code optim.v.}). The JSON makes the pair self-describing: the model's shape,
 * the vocabulary, the image preprocessing (size, resize and crop, mean and std), the default decoding,
 * the optimiser's step counts and where training stands (kept as JSON: the training recipe reads it).
 *
 * <p>A save is one unit: the weights go to a new file named by their content's hash (the old one stays
 * whole), then the JSON, naming that file and its SHA-256, replaces the old JSON by a rename; that
 * rename is the moment the checkpoint changes, and only after it is the old weights file removed. Each
 * file is flushed to the disk before its rename, and the folder after it. A kill at any moment
 * therefore leaves the old checkpoint or the new one, whole; weights from another save are refused in
 * one line naming both files, as is a JSON whose parts disagree (a vocabulary of another size than the
 * decoder's, a preprocessing that is not the encoder's). Checkpoints of earlier versions
 * ({@code NAME.safetensors}, checked by size) still load.
 */
public record Checkpoint(ModelConfig model, Vocabulary vocabulary, DecodeOptions decoding, JsonNode training,
                         Map<String, WeightSource> tensors, Map<String, Integer> optimizerSteps) {
    public static final String FORMAT = "vitcap-checkpoint-1";
    /** How every image is brought to the encoder's size: the shorter side scaled to it, the centre cropped. */
    public static final String RESIZE = "shorter_side", CROP = "center";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Saves a model (and, when {@code optimizer} is not null, its optimiser state) to {@code json} and
     * its weights file, with its vocabulary, default decoding and training state (each may be null).
     */
    public static void save(Path json, Captioner model, AdamW optimizer, Vocabulary vocabulary, DecodeOptions decoding,
                            JsonNode training) throws IOException {
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
        Path dir = json.toAbsolutePath().getParent();
        String stem = stem(json);
        String previous = namedWeights(json);
        AtomicFiles.Written weights = AtomicFiles.writeContentNamed(dir, stem, "safetensors", SafeTensors.body(tensors, Map.of("format", FORMAT)));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("weights", weights.file().getFileName().toString());
        root.put("weights_bytes", Files.size(weights.file()));
        root.put("weights_sha256", weights.sha256());
        root.set("model", JSON.valueToTree(model.config));
        root.set("preprocessing", preprocessing(model.config.encoder()));
        if (vocabulary != null) root.set("vocabulary", vocabulary.toJson());
        if (decoding != null) root.set("decoding", JSON.valueToTree(decoding));
        if (training != null) root.set("training", training);
        root.set("optimizer_steps", JSON.valueToTree(steps));
        AtomicFiles.writeString(json, JSON.writeValueAsString(root));
        removeStale(dir, stem, previous, weights.file());
    }

    /** Deletes a checkpoint: its JSON first (so no JSON is left naming missing weights), then its weights. */
    public static void delete(Path json) throws IOException {
        String previous = namedWeights(json);
        Files.deleteIfExists(json);
        Path dir = json.toAbsolutePath().getParent();
        if (Files.isDirectory(dir)) removeStale(dir, stem(json), previous, null);
    }

    /**
     * The files a checkpoint is made of, to copy or ship it whole: its JSON, and the weights file the JSON
     * names (which lies beside it).
     */
    public static List<Path> files(Path json) throws IOException {
        if (!Files.isRegularFile(json)) throw new FileFormatException(json + ": " + Missing.why(json));
        String weights = namedWeights(json);
        Path file = json.resolveSibling(weights != null ? weights : stem(json) + ".safetensors");
        if (!Files.isRegularFile(file)) throw new FileFormatException(json + ": its weights " + file + " are missing");
        return List.of(json, file);
    }

    private static String stem(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** The name of the weights file an existing checkpoint JSON names, or null when there is none (or it cannot be read). */
    private static String namedWeights(Path json) {
        try {
            JsonNode root = JSON.readTree(json.toFile());
            return root != null && root.hasNonNull("weights") ? root.get("weights").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * After the JSON names the new weights: the earlier saves' weights, and any left by a save that was
     * killed before its JSON was renamed ({@code STEM.HASH.safetensors}), are no one's; so is an earlier
     * version's {@code STEM.safetensors} once the JSON no longer names it.
     */
    private static void removeStale(Path dir, String stem, String previous, Path kept) throws IOException {
        Pattern ours = Pattern.compile(Pattern.quote(stem) + "\\.[0-9a-f]{16}\\.safetensors");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                boolean stale = ours.matcher(name).matches() || name.equals(stem + ".safetensors") && name.equals(previous);
                if (stale && !f.equals(kept)) Files.deleteIfExists(f);
            }
        }
        AtomicFiles.syncFolder(dir);
    }

    /** What a user of the checkpoint must do to an image: written out in full so that no other file is needed. */
    private static ObjectNode preprocessing(VitConfig vit) {
        ObjectNode p = JSON.createObjectNode();
        p.putArray("size").add(vit.imageHeight()).add(vit.imageWidth());
        p.put("resize", RESIZE);
        p.put("crop", CROP);
        p.put("scale", "pixel / 255");
        p.set("mean", JSON.valueToTree(vit.mean()));
        p.set("std", JSON.valueToTree(vit.std()));
        return p;
    }

    /** A model config from a file: a checkpoint's JSON (its {@code model} object) or the bare object. */
    public static ModelConfig readModelConfig(Path file) throws IOException {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            ModelConfig config = JSON.treeToValue(root != null && root.has("model") ? root.get("model") : root, ModelConfig.class);
            if (config == null) throw new IllegalArgumentException("empty file");
            return config;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new FileFormatException(file + ": " + Missing.why(file));
        } catch (java.io.CharConversionException e) {
            throw new FileFormatException(file + ": not UTF-8 text");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new FileFormatException(file + ": not a model config (" + reason(e) + ")");
        }
    }

    /** Why a config could not be read, in one line: a config the constructors refuse says why in its own words. */
    private static String reason(Exception e) {
        return e instanceof JsonProcessingException p ? JsonErrors.describe(p) : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    private static WeightSource host(Kernels k, Param p, Tensor t) {
        return new WeightSource(p.shape(), k.download(t));
    }

    public static Checkpoint load(Path json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw new FileFormatException(json + JsonErrors.at(e) + ": not valid JSON: " + JsonErrors.problem(e));
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new FileFormatException(json + (Files.isDirectory(json) ? ": a folder, not a checkpoint's .json file" : ": " + Missing.why(json)));
        } catch (java.io.CharConversionException e) {
            throw new FileFormatException(json + ": not UTF-8 text");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) throw new FileFormatException(json + ": not a vitcap checkpoint");
        Path weights = weightsBeside(json, root.path("weights").asText());
        if (!Files.isRegularFile(weights)) throw new FileFormatException(json + ": its weights file " + weights + " is missing");
        long bytes = Files.size(weights), recorded = root.path("weights_bytes").asLong(-1);
        if (bytes != recorded) {
            throw new FileFormatException(weights + ": " + bytes + " bytes, but " + json + " records " + recorded + " (a truncated file, or one from another save)");
        }
        if (root.hasNonNull("weights_sha256") && !AtomicFiles.sha256(weights).equals(root.get("weights_sha256").asText())) {
            throw new FileFormatException(json + " and " + weights + " are from different saves (the weights are not the ones the JSON records)");
        }
        ModelConfig model;
        DecodeOptions decoding;
        try {
            model = JSON.treeToValue(root.get("model"), ModelConfig.class);
            decoding = root.hasNonNull("decoding") ? JSON.treeToValue(root.get("decoding"), DecodeOptions.class) : null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new FileFormatException(json + ": malformed checkpoint (" + reason(e) + ")");
        }
        if (model == null) throw new FileFormatException(json + ": malformed checkpoint (no model config)");
        // A lambda, not PtbTokenizer.instance()::tokenize: the tokenizer is built (a tenth of a second)
        // only when text is tokenized, which captioning never does.
        Vocabulary vocabulary = root.hasNonNull("vocabulary")
                ? Vocabulary.fromJson(root.get("vocabulary"), json.toString(), text -> PtbTokenizer.instance().tokenize(text)) : null;
        checkAgreement(json, root.get("preprocessing"), model, vocabulary);
        Map<String, Integer> steps = new LinkedHashMap<>();
        root.path("optimizer_steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asInt()));
        Map<String, WeightSource> tensors = SafeTensors.read(weights).tensors();
        checkSize(json, weights, model, tensors);
        return new Checkpoint(model, vocabulary, decoding, root.get("training"), tensors, steps);
    }

    /**
     * The weights must hold as many values as the model the JSON describes has parameters: checked before
     * any model is built, so that a hand-edited or mismatched pair is named here and a config of absurd
     * size makes nobody allocate for it.
     */
    private static void checkSize(Path json, Path weights, ModelConfig model, Map<String, WeightSource> tensors) throws FileFormatException {
        long held = 0;
        for (Map.Entry<String, WeightSource> t : tensors.entrySet()) {
            if (!t.getKey().startsWith("optim.")) held += t.getValue().size();
        }
        long expected = ModelSummary.of(model).total();
        if (held != expected) {
            throw new FileFormatException(json + ": describes a model of " + expected + " parameters, but its weights file " + weights + " holds " + held);
        }
    }

    /** The weights file a checkpoint names: always a file beside it (as every save writes it), so that no checkpoint can point at another file on the machine. */
    private static Path weightsBeside(Path json, String name) throws FileFormatException {
        Path weights = null;
        try {
            weights = json.resolveSibling(name);
        } catch (java.nio.file.InvalidPathException e) {
            // refused below
        }
        if (weights == null || name.isEmpty() || !name.equals(String.valueOf(weights.getFileName())) || name.equals(".") || name.equals("..")) {
            throw new FileFormatException(json + ": \"weights\" must name a file beside it, not '" + UserText.shown(name) + "'");
        }
        return weights;
    }

    /** The parts of a checkpoint that describe the same thing twice must say the same. */
    private static void checkAgreement(Path json, JsonNode preprocessing, ModelConfig model, Vocabulary vocabulary) throws FileFormatException {
        VitConfig vit = model.encoder();
        if (vocabulary != null && vocabulary.size() != model.decoder().vocab()) {
            throw new FileFormatException(json + ": the vocabulary has " + vocabulary.size() + " words but the decoder has " + model.decoder().vocab());
        }
        if (vocabulary != null && vocabulary.maxLength() != model.maxLength()) {
            throw new FileFormatException(json + ": the vocabulary's captions have " + vocabulary.maxLength() + " tokens but the model's have " + model.maxLength());
        }
        if (preprocessing == null) return; // written before the preprocessing was recorded: the encoder's config says it all
        JsonNode size = preprocessing.path("size");
        if (size.path(0).asInt(-1) != vit.imageHeight() || size.path(1).asInt(-1) != vit.imageWidth()) {
            throw new FileFormatException(json + ": preprocessing size " + size + " disagrees with the encoder's " + vit.imageHeight() + "x" + vit.imageWidth());
        }
        if (!RESIZE.equals(preprocessing.path("resize").asText()) || !CROP.equals(preprocessing.path("crop").asText())) {
            throw new FileFormatException(json + ": preprocessing resize '" + preprocessing.path("resize").asText() + "' and crop '"
                    + preprocessing.path("crop").asText() + "' are not supported (" + RESIZE + ", " + CROP + ")");
        }
        float[] mean = floats(preprocessing.path("mean")), std = floats(preprocessing.path("std"));
        if (!Arrays.equals(mean, vit.mean()) || !Arrays.equals(std, vit.std())) {
            throw new FileFormatException(json + ": preprocessing mean " + Arrays.toString(mean) + " and std " + Arrays.toString(std)
                    + " disagree with the encoder's " + Arrays.toString(vit.mean()) + " and " + Arrays.toString(vit.std()));
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    /** Puts the saved weights (and optimiser state, when given an optimiser) into a model of the saved shape. */
    public void restore(Captioner model, AdamW optimizer) throws FileFormatException {
        try {
            model.encoderParams.load(tensors, "encoder.");
            model.decoderParams.load(tensors, model.decoderPrefix());
            model.reverseParams.load(tensors, Captioner.R2L_PREFIX);
            model.auxParams.load(tensors, "aux.");
        } catch (IllegalArgumentException e) {
            throw new FileFormatException("checkpoint does not fit the model: " + e.getMessage());
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
