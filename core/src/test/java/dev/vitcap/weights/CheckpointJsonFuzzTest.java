package dev.vitcap.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.testing.ReaderContract;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A checkpoint's JSON on any bytes, beside the weights file of a small model saved when the test
 * starts: a checkpoint and its training state, or one line naming the JSON or its weights file. The
 * same bytes as a model config ({@code model --config}). The seeds are that save's JSON and edits of
 * it (made here, so that they follow the format), and the inputs in CheckpointJsonFuzzTestInputs.
 */
class CheckpointJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path saved = save();

    /** A model small enough that every fuzz input reads all its weights in microseconds. */
    private static Path save() {
        Vocabulary vocabulary = Vocabulary.build(List.of("a red circle", "two blue squares"), c -> List.of(c.split(" ")), 1, 6);
        ModelConfig shape = new ModelConfig(VitConfig.builder().image(8).patch(4).dim(4).depth(1).heads(1).mlp(4).build(),
                DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).vocab(vocabulary.size()).emb(4).hidden(4).att(4).build(), 6);
        Path json = ReaderContract.scratch().resolve("saved.json");
        try (ReferenceKernels k = new ReferenceKernels(); Captioner m = new Captioner(k, shape, 1)) {
            Checkpoint.save(json, m, null, vocabulary, DecodeOptions.beam(2), TrainingState.start(TrainConfig.builder().build()).toJson());
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<byte[]> savedAndEdited() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(saved.toFile());
        ObjectNode older = root.deepCopy();
        older.remove(List.of("preprocessing", "decoding", "training"));
        ObjectNode mixed = root.deepCopy().put("weights_bytes", 12);
        ObjectNode vocabulary = root.deepCopy();
        ((ArrayNode) vocabulary.with("vocabulary").get("words")).add("extra");
        String text = root.toString();
        return Stream.of(text, older.toString(), mixed.toString(), vocabulary.toString(), root.get("model").toString(),
                text.substring(0, text.length() / 2)).map(String::getBytes);
    }

    /** The fuzzer starts from a checkpoint that loads, so that it reaches every check, the training state's included. */
    @Test
    void theSavedSeedLoads() throws Exception {
        Path json = Files.write(ReaderContract.scratch().resolve("seed.json"), savedAndEdited().findFirst().orElseThrow());
        assertEquals(0, TrainingState.fromJson(Checkpoint.load(json).training(), json.toString()).step());
    }

    @MethodSource("savedAndEdited")
    @FuzzTest
    void loadsOrRefusesInOneLine(byte[] input) throws Exception {
        // In place of the saved JSON, beside its weights; a message may name either.
        Path json = ReaderContract.write(saved.getFileName().toString(), input);
        ReaderContract.check(json, FileFormatException.class, file -> {
            Checkpoint c = Checkpoint.load(file);
            if (c.training() != null) TrainingState.fromJson(c.training(), file.toString());
        }, json.getParent());
        ReaderContract.check(json, FileFormatException.class, Checkpoint::readModelConfig);
    }
}
