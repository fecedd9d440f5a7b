package dev.vitcap.app;

import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.PixelNormalizer;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.weights.AtomicFiles;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's recipe and why (docs/benchmarks.md, "Demo", has the measurements behind each choice):
 * <ul>
 *   <li>60-pixel images cut into 20-pixel patches: one token per cell of the world's 3×3 grid, so each
 *       token holds one object and the decoder's attention has ten tokens to choose from, not 65;</li>
 *   <li>a ViT of width 128, depth 3, and an attention LSTM of 256 units;</li>
 *   <li>the auxiliary region loss, so the encoder learns what is in each cell early;</li>
 *   <li>training on each image's consensus reference, one consistent target per image;</li>
 *   <li>no attention regulariser: it pushes every token's attention over the caption towards 1, which
 *       spreads attention thin instead of binding each word to its object.</li>
 * </ul>
 */
final class DemoRecipe {
    static final int IMAGE = 60;

    private DemoRecipe() {
    }

    /** The demo's model: the shape above, with the vocabulary filled in when training starts. */
    static ModelConfig model() {
        VitConfig vit = new VitConfig(IMAGE, IMAGE, 20, 3, 128, 3, 4, 256, true, true, 1e-6f, VitConfig.HALF, VitConfig.HALF);
        return new ModelConfig(vit, new DecoderConfig(DecoderConfig.Kind.ATTENTION, 4, 64, 256, 128, 1, 128, 0.3f), 30);
    }

    static TrainCommand train(BackendOption backend, Path world, Path out, double minutes, long seed) throws IOException {
        Path config = out.resolve("model-config.json");
        java.nio.file.Files.createDirectories(out);
        AtomicFiles.writeString(config, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(java.util.Map.of("model", model())));
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(
                "--annotations", SynthFiles.annotations(world, Split.TRAIN).toString(),
                "--images", SynthFiles.imageDir(world, Split.TRAIN).toString(),
                "--val-annotations", SynthFiles.annotations(world, Split.VAL).toString(),
                "--val-images", SynthFiles.imageDir(world, Split.VAL).toString(),
                "--out", out.toString(),
                "--config", config.toString(), "--max-length", "30", "--min-count", "1",
                "--time-budget", Double.toString(minutes), "--batch", "32",
                "--lr", "2e-3", "--encoder-lr", "1e-3", "--warmup", "100",
                "--attention-reg", "0", "--label-smoothing", "0.1", "--region-loss", "1", "--references", "consensus",
                "--patience", "0", "--seed", Long.toString(seed));
        t.backend = backend;
        return t;
    }

    static DecodingOptions decoding() {
        DecodingOptions d = new DecodingOptions();
        new CommandLine(d).parseArgs("--beam", "3");
        return d;
    }

    /** Captions the first {@code count} test images beside their references, with attention maps in {@code maps}. */
    static void show(BackendOption backend, Path checkpoint, Path world, Path maps, int count, PrintStream o) throws IOException {
        var captions = SynthFiles.readCaptions(SynthFiles.annotations(world, Split.TEST));
        try (LoadedModel m = LoadedModel.open(checkpoint, backend)) {
            VitConfig vit = m.model().config.encoder();
            ImagePreprocessor pre = new ImagePreprocessor(vit.imageHeight());
            PixelNormalizer normalizer = new PixelNormalizer(vit.mean(), vit.std());
            int plane = vit.imageHeight() * vit.imageWidth();
            for (var image : captions.images().subList(0, Math.min(count, captions.images().size()))) {
                Path file = SynthFiles.imageDir(world, Split.TEST).resolve(image.fileName());
                byte[] pixels = pre.chw8(file);
                float[] x = new float[3 * plane];
                normalizer.apply(pixels, 0, x, 0, plane);
                int[] words;
                try (Tensor t = m.kernels().upload(x, 1, 3, vit.imageHeight(), vit.imageWidth())) {
                    words = decoding().decoding(m.vocabulary()).run(m.model(), t, 1)[0];
                }
                Path png = maps.resolve(AttentionMaps.fileName(file));
                AttentionMaps.write(m.model(), m.vocabulary(), x, pixels, words, png);
                o.printf("%n  %s%n    vitcap:     %s%n", file, m.vocabulary().decode(words));
                List<String> refs = captions.annotations().stream().filter(a -> a.imageId() == image.id()).map(a -> a.caption()).toList();
                for (String r : refs) o.printf("    reference:  %s%n", r);
                o.printf("    attention:  %s%n", png);
            }
        }
    }
}
