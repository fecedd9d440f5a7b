package dev.vitcap.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PositionHead;
import dev.vitcap.model.PositionInit;
import dev.vitcap.text.Vocabulary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint describes itself, reads back as written, and is refused in one line when its parts disagree. */
class CheckpointTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    Path json;
    Vocabulary vocabulary = Vocabulary.build(List.of("a red circle", "two blue squares"), c -> List.of(c.split(" ")), 1, 9);

    @BeforeEach
    void save() throws Exception {
        ModelConfig shape = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withMaxLength(9).withVocab(vocabulary.size());
        json = dir.resolve("model.json");
        try (ReferenceKernels k = new ReferenceKernels(); Captioner m = new Captioner(k, shape, 1)) {
            Checkpoint.save(json, m, null, vocabulary, DecodeOptions.beam(3).withLengthPenalty(0.5f), null);
        }
    }

    @Test
    void itHoldsEverythingCaptioningNeeds() throws Exception {
        Checkpoint c = Checkpoint.load(json);
        assertEquals(vocabulary.size(), c.vocabulary().size());
        assertEquals(DecodeOptions.beam(3).withLengthPenalty(0.5f), c.decoding());
        ObjectNode p = (ObjectNode) JSON.readTree(json.toFile()).get("preprocessing");
        assertEquals(32, p.get("size").get(0).asInt());
        assertEquals("shorter_side", p.get("resize").asText());
        assertEquals(0.5, p.get("mean").get(1).asDouble());
    }

    @Test
    void partsThatDisagreeAreRefusedInOneLine() throws Exception {
        String mean = refused(root -> ((ArrayNode) root.with("preprocessing").get("mean")).set(0, 0.485));
        assertTrue(mean.contains("preprocessing mean") && mean.contains("disagree"), mean);
        String size = refused(root -> ((ArrayNode) root.with("preprocessing").get("size")).set(0, 224));
        assertTrue(size.contains("preprocessing size"), size);
        String crop = refused(root -> root.with("preprocessing").put("crop", "none"));
        assertTrue(crop.contains("not supported"), crop);
        String vocab = refused(root -> ((ArrayNode) root.with("vocabulary").get("words")).add("extra"));
        assertTrue(vocab.contains("words but the decoder has"), vocab);
        String decoding = refused(root -> root.with("decoding").put("beam", 0));
        assertTrue(decoding.contains("beam width must be between 1 and 32, not 0") && !decoding.contains("dev.vitcap"), decoding);
    }

    @Test
    void aModelOfBothDirectionsASineCosineTableAndAPositionHeadRoundTripsWithItsRescoringDefault() throws Exception {
        ModelConfig shape = ModelConfig.preset("tiny", DecoderConfig.Kind.SHOWTELL).withMaxLength(9).withVocab(vocabulary.size()).withDirections(Directions.BOTH)
                .withPositionHead(true);
        shape = shape.withEncoder(shape.encoder().toBuilder().posInit(PositionInit.SINCOS).build());
        Path both = dir.resolve("both.json");
        DecodeOptions rescoring = DecodeOptions.beam(3).withRescore(0.3f);
        try (ReferenceKernels k = new ReferenceKernels(); Captioner m = new Captioner(k, shape, 1)) {
            Checkpoint.save(both, m, null, vocabulary, rescoring, null);
            Checkpoint c = Checkpoint.load(both);
            assertEquals(Directions.BOTH, c.model().directions());
            assertEquals(PositionInit.SINCOS, c.model().encoder().posInit());
            assertTrue(c.model().positionHead());
            assertTrue(c.tensors().containsKey("aux." + PositionHead.NAME + ".weight"), c.tensors().keySet().toString());
            assertEquals(rescoring, c.decoding());
            assertTrue(c.tensors().keySet().stream().anyMatch(n -> n.startsWith("decoder_r2l.")), c.tensors().keySet().toString());
            try (Captioner back = Captioner.toRestore(k, c.model())) {
                c.restore(back, null);
                for (int i = 0; i < m.parameters().size(); i++) {
                    assertEquals(m.parameters().get(i).name(), back.parameters().get(i).name());
                    assertArrayEquals(k.download(m.parameters().get(i).param().value()), k.download(back.parameters().get(i).param().value()));
                }
            }
        }
    }

    @Test
    void checkpointsWrittenBeforeDirectionsPositionInitAndPositionHeadLoadAsLeftToRightWithTimmsTableAndNoHead() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.get("model")).remove("directions");
        ((ObjectNode) root.get("model")).remove("positionHead");
        ((ObjectNode) root.get("model").get("encoder")).remove("posInit");
        ((ObjectNode) root.get("decoding")).remove("rescore");
        Files.writeString(json, root.toString());
        Checkpoint c = Checkpoint.load(json);
        assertEquals(Directions.L2R, c.model().directions());
        assertEquals(PositionInit.TRUNC_NORMAL, c.model().encoder().posInit());
        assertFalse(c.model().positionHead());
        assertNull(c.decoding().rescore());
    }

    @Test
    void checkpointsFromBeforeThePreprocessingWasRecordedStillLoad() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        root.remove("preprocessing");
        root.remove("decoding");
        Files.writeString(json, root.toString());
        Checkpoint c = Checkpoint.load(json);
        assertNull(c.decoding());
        assertEquals(vocabulary.size(), c.vocabulary().size());
    }

    @Test
    void weightsFromAnotherSaveOfTheSameSizeAreRefusedNamingBothFiles() throws Exception {
        String first = Files.readString(json);
        saveWithSeed(2);
        ObjectNode second = (ObjectNode) JSON.readTree(json.toFile());
        ObjectNode mixed = (ObjectNode) JSON.readTree(first);
        mixed.put("weights", second.get("weights").asText()); // the same size: only the content tells them apart
        Files.writeString(json, mixed.toString());
        String message = assertThrows(FileFormatException.class, () -> Checkpoint.load(json)).getMessage();
        assertTrue(message.contains(json.toString()) && message.contains(second.get("weights").asText()) && message.contains("different saves"), message);

        Path weights = dir.resolve(second.get("weights").asText());
        byte[] whole = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(json, second.toString());
        String cut = assertThrows(FileFormatException.class, () -> Checkpoint.load(json)).getMessage();
        assertTrue(cut.startsWith(weights + ": " + whole.length / 2 + " bytes, but " + json + " records " + whole.length) && cut.contains("truncated"), cut);
    }

    @Test
    void aSaveLeavesOneWeightsFileAndRemovesThoseOfKilledSaves() throws Exception {
        Path orphan = Files.writeString(dir.resolve("model.0123456789abcdef.safetensors"), "left by a save killed before its JSON was renamed");
        Path other = Files.writeString(dir.resolve("other.0123456789abcdef.safetensors"), "another checkpoint's");
        saveWithSeed(2);
        saveWithSeed(3);
        try (var files = Files.list(dir)) {
            List<String> weights = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("model.") && n.endsWith(".safetensors")).toList();
            assertEquals(List.of(JSON.readTree(json.toFile()).get("weights").asText()), weights);
        }
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(other));
        Checkpoint.load(json);
    }

    @Test
    void checkpointsOfEarlierVersionsLoadAndAreReplacedWhole() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        Path legacy = dir.resolve("model.safetensors");
        Files.move(dir.resolve(root.get("weights").asText()), legacy);
        root.put("weights", "model.safetensors");
        root.remove("weights_sha256");
        Files.writeString(json, root.toString());
        assertEquals(vocabulary.size(), Checkpoint.load(json).vocabulary().size());
        saveWithSeed(2);
        assertFalse(Files.exists(legacy), "the earlier version's weights file goes once the JSON no longer names it");
        Checkpoint.load(json);
    }

    private void saveWithSeed(long seed) throws Exception {
        ModelConfig shape = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withMaxLength(9).withVocab(vocabulary.size());
        try (ReferenceKernels k = new ReferenceKernels(); Captioner m = new Captioner(k, shape, seed)) {
            Checkpoint.save(json, m, null, vocabulary, null, null);
        }
    }

    @Test
    void theWeightsFileLiesBesideItsJsonAndIsNamedWhenMissing() throws Exception {
        Path bad = dir.resolve("bad.json");
        assertEquals(bad + ": \"weights\" must name a file beside it, not '/etc/passwd'", refused(root -> root.put("weights", "/etc/passwd")));
        assertEquals(bad + ": \"weights\" must name a file beside it, not '../model.safetensors'", refused(root -> root.put("weights", "../model.safetensors")));
        assertEquals(bad + ": \"weights\" must name a file beside it, not 'a\\u0000b'", refused(root -> root.put("weights", "a\u0000b")));
        assertEquals(bad + ": its weights file " + dir.resolve("gone.safetensors") + " is missing", refused(root -> root.put("weights", "gone.safetensors")));
    }

    @Test
    void jsonErrorsAreInTheUsersWords() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"vitcap-checkpoint-1\",\n \"weights\": NaN}");
        assertEquals(bad + ":2:16: not valid JSON: 'NaN' is not a JSON number", assertThrows(FileFormatException.class, () -> Checkpoint.load(bad)).getMessage());
    }

    private String refused(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        edit.accept(root);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, root.toString());
        String message = assertThrows(FileFormatException.class, () -> Checkpoint.load(bad)).getMessage();
        assertTrue(message.startsWith(bad.toString()), "names the file: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }
}
