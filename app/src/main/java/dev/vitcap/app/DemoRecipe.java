package dev.vitcap.app;

import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.PixelNormalizer;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.VitConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's recipe and why (docs/benchmarks.md, "Demo" has the measurements): a small ViT on 64-pixel
 * images, the auxiliary region loss so the encoder learns what is where, training on each image's
 * consensus reference, no attention regulariser (it spread attention thin over 65 tokens).
 */
final class DemoRecipe {
    private DemoRecipe() {
    }

    static TrainCommand train(BackendOption backend, Path world, Path out, double minutes, long seed) {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(
                "--annotations", SynthFiles.annotations(world, Split.TRAIN).toString(),
                "--images", SynthFiles.imageDir(world, Split.TRAIN).toString(),
                "--val-annotations", SynthFiles.annotations(world, Split.VAL).toString(),
                "--val-images", SynthFiles.imageDir(world, Split.VAL).toString(),
                "--out", out.toString(),
                "--model", "tiny", "--image-size", "64", "--max-length", "30", "--min-count", "1",
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
