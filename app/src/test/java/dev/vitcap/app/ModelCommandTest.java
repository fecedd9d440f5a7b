package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vitcap model}: the summary's totals are the model's, the diagram is written by extension, bad input is one line. */
class ModelCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The number of parameters a real captioner of this config creates. */
    static long params(ModelConfig config) {
        try (Captioner model = new Captioner(new ReferenceKernels(), config, 1)) {
            return model.encoderParams.count() + model.decoderParams.count() + model.auxParams.count();
        }
    }

    static String total(long params) {
        return String.format(Locale.ROOT, "Total params: %,d ", params);
    }

    @Test
    void theSummaryTotalIsThePresetsParameterCount() {
        Run tiny = run("model", "--summary", "--config", "tiny");
        assertEquals(0, tiny.code(), tiny.err());
        assertTrue(tiny.out().contains(total(params(ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION)))), tiny.out());
        assertTrue(tiny.out().contains("blocks.1.attn.qkv (Linear)") && tiny.out().contains("cell (LSTMCell)"), tiny.out());

        Run showTell = run("model", "--summary", "--config", "tiny", "--decoder", "showtell");
        assertEquals(0, showTell.code(), showTell.err());
        assertTrue(showTell.out().contains(total(params(ModelConfig.preset("tiny", DecoderConfig.Kind.SHOWTELL)))), showTell.out());
        assertFalse(showTell.out().contains("enc_att"), showTell.out());

        Run byDefault = run("model", "--summary");
        assertEquals(0, byDefault.code(), byDefault.err());
        assertTrue(byDefault.out().contains(total(params(ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION)))), byDefault.out());
    }

    @Test
    void readsTheModelOfACheckpointOrOfAConfigFile(@TempDir Path dir) throws Exception {
        ModelConfig config = ModelConfig.preset("tiny", DecoderConfig.Kind.SHOWTELL).withVocab(37);
        Path checkpoint = dir.resolve("c.json");
        try (Captioner model = new Captioner(new ReferenceKernels(), config, 1)) {
            Checkpoint.save(checkpoint, model, null, null, null, null);
        }
        ObjectMapper json = new ObjectMapper();
        Path bare = dir.resolve("model.json");
        json.writeValue(bare.toFile(), json.readTree(checkpoint.toFile()).get("model"));
        String expected = total(params(config));
        for (String[] source : new String[][]{{"--checkpoint", checkpoint.toString()}, {"--config", checkpoint.toString()}, {"--config", bare.toString()}}) {
            Run r = run("model", "--summary", source[0], source[1]);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(expected) && r.out().contains("[15, 37]"), r.out()); // 37 words, 15 steps
        }
    }

    @Test
    void drawsSvgOrPngByTheExtension(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("model.svg"), png = dir.resolve("out/model.png");
        Run r = run("model", "--diagram", svg.toString(), "--config", "tiny");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + svg), r.out());
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg") && text.contains("ViT block × 2"), text);

        r = run("model", "--diagram", png.toString(), "--summary", "--config", "small", "--decoder", "showtell");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: ") && r.out().contains("wrote " + png), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() > 500 && image.getHeight() > 500);
    }

    @Test
    void badInputIsOneLineAndExitStatusOneOrTwoForUsage(@TempDir Path dir) throws Exception {
        Path malformed = Files.writeString(dir.resolve("bad.json"), "{\"encoder\": [1, 2");
        String[][] cases = {
                {"1", "model.gif", "model", "--diagram", dir.resolve("model.gif").toString()},
                {"1", "missing.json", "model", "--summary", "--checkpoint", dir.resolve("missing.json").toString()},
                {"1", "bad.json", "model", "--summary", "--config", malformed.toString()},
                {"2", "huge", "model", "--summary", "--config", "huge"},
                {"2", "--decoder", "model", "--summary", "--config", "tiny", "--decoder", "lstm"},
                {"2", "--decoder", "model", "--summary", "--config", malformed.toString(), "--decoder", "attention"},
                {"2", "not both", "model", "--summary", "--config", "tiny", "--checkpoint", malformed.toString()},
                {"2", "--summary", "model", "--config", "tiny"},
        };
        for (String[] c : cases) {
            String[] args = Arrays.copyOfRange(c, 2, c.length);
            Run r = run(args);
            String err = r.err().strip();
            assertEquals(Integer.parseInt(c[0]), r.code(), String.join(" ", args) + "\n" + r.err());
            assertTrue(err.startsWith("vitcap model: ") && err.contains(c[1]) && !err.contains("\n"), String.join(" ", args) + "\n" + r.err());
            assertEquals("", r.out(), "nothing printed before the error");
        }
        assertFalse(Files.exists(dir.resolve("model.gif")));
    }
}
