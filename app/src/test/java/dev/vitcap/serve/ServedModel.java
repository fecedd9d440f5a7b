package dev.vitcap.serve;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.TestImages;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small untrained captioner with an 8×8 patch grid, saved as a checkpoint, and images to send it. */
final class ServedModel {
    private ServedModel() {
    }

    static Path checkpoint(Path dir) throws IOException {
        String[] colours = {"red", "green", "blue", "yellow"}, shapes = {"circle", "square", "triangle", "star"};
        List<String> captions = new ArrayList<>();
        for (String c : colours) for (String s : shapes) captions.add("a " + c + " " + s + " beside a " + s);
        Vocabulary vocabulary = Vocabulary.build(captions, PtbTokenizer.instance()::tokenize, 1, 12);
        VitConfig vit = VitConfig.builder().image(64).patch(8).dim(32).depth(1).heads(2).mlp(64).build();
        DecoderConfig decoder = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).emb(16).hidden(32).att(16).build();
        ModelConfig config = new ModelConfig(vit, decoder, 12).withVocab(vocabulary.size());
        Path checkpoint = dir.resolve("served.json");
        try (Kernels k = Backends.select("cpu").kernels(); Captioner m = new Captioner(k, config, 5)) {
            Checkpoint.save(checkpoint, m, null, vocabulary, DecodeOptions.GREEDY, null);
        }
        return checkpoint;
    }

    static ImageCaptioner open(Path checkpoint, int queue) throws IOException {
        return ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend("cpu").withQueueCapacity(queue).withMaxPixels(40_000_000));
    }

    /** A picture of coloured discs on a coloured ground, encoded in {@code format}. */
    static byte[] picture(long seed, String format) throws IOException {
        BufferedImage img = TestImages.discs(new Random(seed), 90);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }
}
