package dev.vitcap.app;

import dev.vitcap.kernel.Check;
import dev.vitcap.model.WeightSource;
import dev.vitcap.testing.Fixtures;
import dev.vitcap.weights.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vitcap encode} reproduces timm's forward_features from timm's weights and config. */
class EncodeCommandTest {
    @Test
    void reproducesTimm(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out.safetensors");
        int code = Main.commandLine().execute("encode", "--weights", Fixtures.path("vit-a.safetensors").toString(),
                "--config", Fixtures.path("vit-a.json").toString(), "--input", Fixtures.path("vit-a-io.safetensors").toString(),
                "--output", output.toString(), "--batch", "1", "--backend", "cpu");
        assertEquals(0, code);
        WeightSource expected = Fixtures.tensors("vit-a-io.safetensors").get("forward_features");
        WeightSource actual = SafeTensors.read(output).tensors().get("forward_features");
        assertArrayEquals(expected.shape(), actual.shape());
        Check c = Check.output("forward_features", expected.data(), actual.data());
        assertTrue(c.passed(), c.toString());
    }

    @Test
    void aConfigThatDoesNotFitTheInputIsOneLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.json"), "{\"timm_args\": {\"img_size\": 48, \"patch_size\": 8, \"embed_dim\": 64, \"depth\": 2, \"num_heads\": 4}}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute("encode", "--weights", Fixtures.path("vit-a.safetensors").toString(), "--config", config.toString(),
                "--input", Fixtures.path("vit-a-io.safetensors").toString(), "--output", dir.resolve("o.safetensors").toString());
        assertEquals(1, code);
        String line = err.toString().strip();
        assertTrue(line.contains("'input' has shape [2, 3, 32, 32]") && !line.contains("\n"), line);
    }
}
