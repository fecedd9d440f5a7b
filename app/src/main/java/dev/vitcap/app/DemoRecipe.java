package dev.vitcap.app;

import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.TrainingRun;

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
        VitConfig vit = VitConfig.builder().image(IMAGE).patch(20).dim(128).depth(3).heads(4).mlp(256).build();
        DecoderConfig decoder = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).emb(64).hidden(256).att(128).dropout(0.3f).build();
        return new ModelConfig(vit, decoder, 30);
    }

    /** Beam 3: what the demo's checkpoints record as their default decoding, and what it is scored with. */
    static DecodeOptions decoding() {
        return DecodeOptions.beam(3);
    }

    static TrainingRun training(String backend, Path world, Path out, double minutes, long seed) {
        TrainConfig recipe = TrainConfig.builder().batchSize(32).lr(2e-3f).encoderLr(1e-3f).warmupSteps(100).attentionReg(0)
                .labelSmoothing(0.1f).regionLoss(1).consensusReference(true).patience(0).seed(seed).build();
        return new TrainingRun(SynthFiles.annotations(world, Split.TRAIN), SynthFiles.imageDir(world, Split.TRAIN), out)
                .validation(SynthFiles.annotations(world, Split.VAL), SynthFiles.imageDir(world, Split.VAL))
                .model(model()).minCount(1).recipe(recipe).freezeEncoderEpochs(0).timeBudgetMinutes(minutes)
                .decoding(decoding()).backend(backend).overwrite(true); // the demo starts over each time, like its world
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
