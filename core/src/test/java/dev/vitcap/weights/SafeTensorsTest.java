package dev.vitcap.weights;

import dev.vitcap.io.FileFormatException;
import dev.vitcap.model.WeightSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private Path sample() throws IOException {
        Map<String, WeightSource> t = new LinkedHashMap<>();
        t.put("a", new WeightSource(new int[]{2, 3}, new float[]{1, -2, 3.5f, 0, 1e-8f, -7}));
        t.put("b.c", new WeightSource(new int[]{1}, new float[]{42}));
        Path f = dir.resolve("x.safetensors");
        SafeTensors.write(f, t, Map.of("config", "{\"k\":1}"));
        return f;
    }

    @Test
    void roundTripsTensorsShapesAndMetadata() throws IOException {
        SafeTensors.Contents c = SafeTensors.read(sample());
        assertEquals(2, c.tensors().size());
        assertArrayEquals(new int[]{2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(new float[]{1, -2, 3.5f, 0, 1e-8f, -7}, c.tensors().get("a").data());
        assertEquals("{\"k\":1}", c.metadata().get("config"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void readsHalfAndBfloat16() {
        assertEquals(1.0f, SafeTensors.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, SafeTensors.halfToFloat((short) 0xc000));
        assertEquals(0x1p-24f, SafeTensors.halfToFloat((short) 0x0001));
        assertTrue(Float.isInfinite(SafeTensors.halfToFloat((short) 0x7c00)));
    }

    @Test
    void truncatedFilesAndGarbageAreOneClearLine() throws IOException {
        Path good = sample();
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "this is not a tensor file at all");
        assertThrows(FileFormatException.class, () -> SafeTensors.read(junk));
        FileFormatException missing = assertThrows(FileFormatException.class, () -> SafeTensors.read(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("no such file"));
        assertEquals(-1, missing.getMessage().indexOf('\n'));
    }
}
