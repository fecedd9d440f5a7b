package dev.vitcap.weights;

import dev.vitcap.io.FileFormatException;
import dev.vitcap.model.WeightSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    /** A file of the given header over {@code floats} float32 values of 1. */
    private Path raw(String name, String header, int floats) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (int i = 0; i < floats; i++) b.putFloat(1f);
        return Files.write(dir.resolve(name), b.array());
    }

    private String refusal(Path file) {
        String message = assertThrows(FileFormatException.class, () -> SafeTensors.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": ") && message.indexOf('\n') < 0, message);
        return message.substring(file.toString().length() + 2);
    }

    @Test
    void tensorsMustTileTheDataWithoutOverlapOrGap() throws IOException {
        String a = "\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}";
        assertEquals(2, SafeTensors.read(raw("ok.safetensors", "{" + a + ", \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", 3)).tensors().size());
        assertEquals("tensors 'a' (bytes 0..8) and 'b' (bytes 4..8) overlap",
                refusal(raw("overlap.safetensors", "{" + a + ", \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 2)));
        assertEquals("bytes 8..12 of the data belong to no tensor (between 'a' (bytes 0..8) and 'b' (bytes 12..16))",
                refusal(raw("gap.safetensors", "{" + a + ", \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]}}", 4)));
        assertEquals("bytes 0..4 of the data belong to no tensor (before the first, 'b' (bytes 4..8))",
                refusal(raw("lead.safetensors", "{\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 2)));
        assertEquals("bytes 8..12 of the data belong to no tensor (after the last, 'a' (bytes 0..8))",
                refusal(raw("tail.safetensors", "{" + a + "}", 3)));
        assertEquals("tensor 'a' has dimension 2.5; dimensions are whole numbers of at least 0",
                refusal(raw("shape.safetensors", "{\"a\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 8]}}", 2)));
    }

    @Test
    void nanOrInfiniteWeightsAreRefusedNamingTheTensor() throws IOException {
        Map<String, WeightSource> t = new LinkedHashMap<>();
        t.put("fine", new WeightSource(new int[]{2}, new float[]{1, 2}));
        t.put("decoder.w", new WeightSource(new int[]{4}, new float[]{Float.NaN, 1, Float.POSITIVE_INFINITY, Float.NaN}));
        Path f = dir.resolve("nan.safetensors");
        SafeTensors.write(f, t, Map.of());
        assertEquals("tensor 'decoder.w' holds 3 NaN or infinite values of 4 (a diverged or damaged save)", refusal(f));
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
