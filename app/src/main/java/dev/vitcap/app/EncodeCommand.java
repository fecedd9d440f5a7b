package dev.vitcap.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.io.Missing;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.ParamSet;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.VitEncoder;
import dev.vitcap.model.WeightSource;
import dev.vitcap.weights.SafeTensors;
import dev.vitcap.weights.TimmArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/** Runs a timm ViT's {@code forward_features} on a tensor of images. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Runs the ViT encoder (timm weights and config) on the tensor 'input' and writes 'forward_features'.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Option(names = "--weights", required = true, description = "timm ViT weights (.safetensors, timm's names).")
    Path weights;

    @Option(names = "--config", required = true, description = "JSON with 'timm_args' (and optionally 'layer_norm_eps'), as shared/fixtures/vit-a.json.")
    Path config;

    @Option(names = "--input", required = true, description = ".safetensors holding 'input' [N, C, H, W], already normalised.")
    Path input;

    @Option(names = "--output", required = true, description = ".safetensors to write 'forward_features' [N, tokens, dim] to.")
    Path output;

    @Option(names = "--batch", defaultValue = "32", converter = Ranges.Batch.class, description = "Images per forward pass, at least 1 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        PathOptions.fileToWrite("--output", output);
        VitConfig cfg = readConfig(config);
        Map<String, WeightSource> inputs = SafeTensors.read(input).tensors();
        WeightSource images = inputs.containsKey("input") ? inputs.get("input")
                : inputs.size() == 1 ? inputs.values().iterator().next() : null;
        if (images == null) throw new FileFormatException(input + ": no tensor named 'input' (found " + inputs.keySet() + ")");
        int[] shape = images.shape();
        int[] expected = {cfg.channels(), cfg.imageHeight(), cfg.imageWidth()};
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), expected)) {
            throw new FileFormatException(input + ": 'input' has shape " + Arrays.toString(shape) + ", the config expects [N, "
                    + expected[0] + ", " + expected[1] + ", " + expected[2] + "]");
        }
        Map<String, WeightSource> w = SafeTensors.read(weights).tensors();
        int n = shape[0], per = expected[0] * expected[1] * expected[2], out = cfg.tokens() * cfg.dim();
        float[] features = new float[n * out];
        Backends.Selection s = backend.select();
        try (Kernels k = s.kernels(); ParamSet ps = new ParamSet(k)) {
            VitEncoder encoder = new VitEncoder(ps, cfg, new Random(0));
            try {
                ps.load(w, "");
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(weights + ": " + e.getMessage());
            }
            for (int start = 0; start < n; start += batch) {
                int b = Math.min(batch, n - start);
                try (Arena a = new Arena(k)) {
                    Tensor x = a.keep(k.upload(Arrays.copyOfRange(images.data(), start * per, (start + b) * per), b, expected[0], expected[1], expected[2]));
                    float[] y = k.download(encoder.forward(a, x, b).out);
                    System.arraycopy(y, 0, features, start * out, y.length);
                }
            }
        }
        SafeTensors.write(output, Map.of("forward_features", new WeightSource(new int[]{n, cfg.tokens(), cfg.dim()}, features)), Map.of());
        System.out.printf("wrote forward_features [%d, %d, %d] to %s%n", n, cfg.tokens(), cfg.dim(), output);
        return 0;
    }

    static VitConfig readConfig(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FileFormatException(file + JsonErrors.at(e) + ": not valid JSON: " + JsonErrors.problem(e));
        } catch (java.io.FileNotFoundException e) {
            throw new FileFormatException(file + ": " + (Files.isDirectory(file) ? "a folder, not a file" : Missing.why(file)));
        } catch (java.io.CharConversionException e) {
            throw new FileFormatException(file + ": not UTF-8 text");
        }
        JsonNode args = root == null ? null : root.get("timm_args");
        if (args == null || !args.isObject()) throw new FileFormatException(file + ": no 'timm_args' object");
        try {
            return TimmArgs.vitConfig(args, (float) root.path("layer_norm_eps").asDouble(1e-6));
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file + ": " + e.getMessage());
        }
    }
}
