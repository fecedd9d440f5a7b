package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.train.TrainingRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's recipe and why (docs/benchmarks.md, "Demo", has the measurements behind each choice):
 * <ul>
 *   <li>60-pixel images cut into 20-pixel patches: one token per cell of the world's 3×3 grid, so each
 *       token holds one object and the decoder's attention has ten tokens to choose from, not 65;</li>
 *   <li>a ViT of width 128, depth 3, and an attention LSTM of 256 units;</li>
 *   <li>the auxiliary region loss, so the encoder learns what is in each cell early;</li>
 *   <li>the auxiliary position loss, so each token still says which cell it is when the decoder reads it
 *       (without it the model said "to the left of" whatever the layout);</li>
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
        VitConfig vit = VitConfig.builder().image(IMAGE).patch(20).dim(128).depth(3).heads(4).mlp(256).build();
        DecoderConfig decoder = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).emb(64).hidden(256).att(128).dropout(0.3f).build();
        return new ModelConfig(vit, decoder, 30);
    }

    /** Beam 3: what the demo's checkpoints record as their default decoding, and what it is scored with. */
    static DecodeOptions decoding() {
        return DecodeOptions.beam(3);
    }

    /**
     * The recipe as {@code vitcap train} options, the model given by {@code --config modelConfig} (a file
     * holding {@link #model()}): the demo trains with them, and {@code vitcap tune --world} starts from them.
     */
    static List<String> trainOptions(Path modelConfig) {
        return List.of("--config", modelConfig.toString(), "--max-length", Integer.toString(model().maxLength()), "--min-count", "1",
                "--batch", "32", "--lr", "2e-3", "--encoder-lr", "1e-3", "--warmup", "100", "--attention-reg", "0", "--label-smoothing", "0.1",
                "--region-loss", "1", "--position-loss", "1", "--references", "consensus", "--patience", "0", "--freeze-encoder-epochs", "0");
    }

    /** Writes {@link #model()} to {@code file}, for {@code --config}. */
    static void writeModel(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(model()));
    }

    /** The data options of a synthetic world: its train split, validated on its val split. */
    static List<String> worldOptions(Path world) {
        return List.of("--annotations", SynthFiles.annotations(world, Split.TRAIN).toString(), "--images", SynthFiles.imageDir(world, Split.TRAIN).toString(),
                "--val-annotations", SynthFiles.annotations(world, Split.VAL).toString(), "--val-images", SynthFiles.imageDir(world, Split.VAL).toString());
    }

    /**
     * Self-critical training after cross-entropy, with {@code --scst}'s defaults (chosen on this world),
     * keeping the checkpoint with the most truthful validation captions: on 300 validation images its
     * gains are larger than CIDEr-D's noise, and the cross-entropy model stays unless beaten.
     */
    static List<String> selfCriticalOptions(Path crossEntropy) {
        // The cross-entropy run's image cache: the same images at the same size, not decoded a second time.
        Path cache = TrainingRun.defaultCache(crossEntropy.toAbsolutePath().getParent(), IMAGE);
        return List.of("--init", crossEntropy.toString(), "--cache", cache.toString(), "--scst", "--batch", "32", "--patience", "0",
                "--best-by", "truthful");
    }

    /** Self-critical training from the cross-entropy checkpoint {@code crossEntropy}, within {@code minutes}. */
    static TrainingRun selfCritical(String backend, Path world, Path crossEntropy, Path out, double minutes, long seed) throws IOException {
        return run(backend, world, selfCriticalOptions(crossEntropy), out, minutes, seed);
    }

    static TrainingRun training(String backend, Path world, Path out, double minutes, long seed) throws IOException {
        Path config = out.resolve("model-config.json");
        writeModel(config);
        return run(backend, world, trainOptions(config), out, minutes, seed);
    }

    /** A run of {@code recipe} on the world's data into {@code out}, within {@code minutes}. */
    private static TrainingRun run(String backend, Path world, List<String> recipe, Path out, double minutes, long seed) throws IOException {
        List<String> args = new ArrayList<>(worldOptions(world));
        args.addAll(recipe);
        // The demo starts over each time, like its world.
        args.addAll(List.of("--out", out.toString(), "--time-budget", Double.toString(minutes), "--seed", Long.toString(seed), "--overwrite"));
        if (backend != null) args.addAll(List.of("--backend", backend));
        return TrainCommand.parse(args).trainingRun().decoding(decoding());
    }

    /** Captions the first {@code count} test images beside their references, with attention maps in {@code maps}. */
    static void show(String backend, Path checkpoint, Path world, Path maps, int count, PrintStream o) throws IOException {
        var captions = SynthFiles.readCaptions(SynthFiles.annotations(world, Split.TEST));
        try (ImageCaptioner captioner = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend(backend))) {
            ImagePreprocessor asSeen = new ImagePreprocessor(captioner.imageSize());
            for (var image : captions.images().subList(0, Math.min(count, captions.images().size()))) {
                Path file = SynthFiles.imageDir(world, Split.TEST).resolve(image.fileName());
                Caption c = captioner.caption(file, captioner.defaultDecoding().withAttention(true));
                Path png = maps.resolve(AttentionMaps.fileName(file));
                AttentionMaps.write(c, asSeen.chw8(file), captioner.imageSize(), png);
                o.printf("%n  %s%n    vitcap:     %s%n", file, c.text());
                List<String> refs = captions.annotations().stream().filter(a -> a.imageId() == image.id()).map(a -> a.caption()).toList();
                for (String r : refs) o.printf("    reference:  %s%n", r);
                o.printf("    attention:  %s%n", png);
            }
        }
    }
}
