package dev.vitcap.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthWorldTest {
    @TempDir
    Path temp;

    @Test
    void theSameArgumentsGiveTheSameBytes() throws IOException {
        SynthWorld.generate(new SynthWorld.Spec(temp.resolve("a"), 12, 4, 4, 32, 5));
        SynthWorld.generate(new SynthWorld.Spec(temp.resolve("b"), 12, 4, 4, 32, 5));
        SynthWorld.generate(new SynthWorld.Spec(temp.resolve("c"), 12, 4, 4, 32, 6));
        Map<Path, byte[]> first = contents(temp.resolve("a"));
        Map<Path, byte[]> second = contents(temp.resolve("b"));
        Map<Path, byte[]> otherSeed = contents(temp.resolve("c"));
        assertEquals(first.keySet(), second.keySet());
        first.forEach((file, bytes) -> assertArrayEquals(bytes, second.get(file), file.toString()));
        assertEquals(first.keySet(), otherSeed.keySet());
        Path someImage = Path.of("images", "train", "000001.png");
        assertFalse(java.util.Arrays.equals(first.get(someImage), otherSeed.get(someImage)), "another seed, another image");
    }

    private static Map<Path, byte[]> contents(Path dir) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) contents.put(dir.relativize(file), Files.readAllBytes(file));
        }
        return contents;
    }

    @Test
    void writesCocoCaptionsScenesAndImagesThatAgree() throws IOException {
        Path dir = temp.resolve("world");
        SynthWorld.Summary summary = SynthWorld.generate(new SynthWorld.Spec(dir, 30, 7, 0, 40, 9));
        assertEquals(new SynthWorld.Summary(37, 37 * CaptionGrammar.CAPTIONS_PER_IMAGE), summary);
        ObjectMapper json = new ObjectMapper();
        for (Split split : Split.values()) {
            int count = split == Split.TRAIN ? 30 : split == Split.VAL ? 7 : 0;
            JsonNode captions = json.readTree(SynthFiles.annotations(dir, split).toFile());
            assertEquals(count, captions.get("images").size());
            assertEquals(count * CaptionGrammar.CAPTIONS_PER_IMAGE, captions.get("annotations").size());
            SynthFiles.Captions read = SynthFiles.readCaptions(SynthFiles.annotations(dir, split));
            assertEquals(new SynthFiles.Info("vitcap synthetic world", split.word(), 40, 9), read.info());
            for (int at = 0; at < read.annotations().size(); at++) {
                assertEquals(captions.get("annotations").get(at).get("caption").asText(), read.annotations().get(at).caption());
            }
            Map<Integer, Scene> scenes = SynthFiles.readScenes(SynthFiles.scenes(dir, split));
            assertEquals(count, scenes.size());
            Set<Integer> annotationIds = new HashSet<>();
            for (JsonNode annotation : captions.get("annotations")) {
                assertTrue(annotationIds.add(annotation.get("id").asInt()), "annotation ids are unique");
                Scene scene = scenes.get(annotation.get("image_id").asInt());
                assertTrue(Truthfulness.check(annotation.get("caption").asText(), scene).truthful(), annotation::toString);
            }
            for (int index = 0; index < count; index++) {
                JsonNode image = captions.get("images").get(index);
                int id = image.get("id").asInt();
                assertEquals(SynthWorld.imageId(index), id);
                assertEquals(40, image.get("width").asInt());
                assertEquals(40, image.get("height").asInt());
                // The scene file holds exactly what was drawn: the scene read back renders the stored image.
                Scene scene = scenes.get(id);
                assertEquals(SynthWorld.scene(9, split, index, 40), scene);
                BufferedImage stored = ImageIO.read(SynthFiles.imageDir(dir, split).resolve(image.get("file_name").asText()).toFile());
                BufferedImage rendered = SceneRenderer.render(scene);
                assertArrayEquals(rendered.getRGB(0, 0, 40, 40, null, 0, 40), stored.getRGB(0, 0, 40, 40, null, 0, 40));
            }
        }
        assertEquals(List.of(), leftovers(dir), "no temporary files stay behind");
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return new ArrayList<>(files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void splitsDrawDifferentImages() {
        assertNotEquals(SynthWorld.scene(3, Split.TRAIN, 0, 64).objects(), SynthWorld.scene(3, Split.TEST, 0, 64).objects());
    }

    @Test
    void refusesBadSpecsWithOneClearLine() {
        Path out = temp.resolve("never");
        assertMessage("size must be between 16 and 1024, not 0", () -> new SynthWorld.Spec(out, 1, 1, 1, 0, 1));
        assertMessage("train must be at least 0, not -1", () -> new SynthWorld.Spec(out, -1, 1, 1, 64, 1));
        assertMessage("nothing to generate: every split has 0 images", () -> new SynthWorld.Spec(out, 0, 0, 0, 64, 1));
        assertFalse(Files.exists(out));
    }

    @Test
    void aBrokenScenesFileIsOneLineNamingIt() throws IOException {
        Path scenes = Files.writeString(temp.resolve("scenes.json"), "{\"split\": \"test\", \"scenes\": [{\"image_id\": \"x\"}]}");
        assertEquals(scenes + ":1:43: not a scenes file: scenes[0].image_id: expected a whole number, found \"x\"",
                assertThrows(FileFormatException.class, () -> SynthFiles.readScenes(scenes)).getMessage());
        Path partial = Files.writeString(temp.resolve("partial.json"), "{\"split\": \"test\", \"scenes\": [{\"image_id\": 1}]}");
        assertEquals(partial + ":1:44: not a scenes file: scenes[0]: missing or invalid values",
                assertThrows(FileFormatException.class, () -> SynthFiles.readScenes(partial)).getMessage());
        Path cut = Files.writeString(temp.resolve("cut.json"), "{\"split\": \"test\", \"scenes\": [");
        assertEquals(cut + ":1:30: not a scenes file: the text ends before the JSON does (truncated?)",
                assertThrows(FileFormatException.class, () -> SynthFiles.readScenes(cut)).getMessage());
    }

    private static void assertMessage(String message, Runnable creation) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, creation::run).getMessage());
    }

    /** A guard against slow or bloated output, not a benchmark: docs/synthetic-world.md has the measured speed. */
    @Test
    void threeHundredImagesTakeLittleTimeAndSpace() throws IOException {
        Path dir = temp.resolve("smoke");
        long start = System.nanoTime();
        SynthWorld.generate(new SynthWorld.Spec(dir, 300, 0, 0, 64, 2));
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes;
        try (Stream<Path> files = Files.walk(SynthFiles.imageDir(dir, Split.TRAIN))) {
            bytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        assertTrue(seconds < 10, "300 images took " + seconds + " s");
        assertTrue(bytes < 300 * 6_000L, "300 images take " + bytes + " bytes");
    }
}
