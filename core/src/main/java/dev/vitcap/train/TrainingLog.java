package dev.vitcap.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.train.TrainStep;
import dev.vitcap.train.TrainingState;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code log.jsonl}: one JSON object per training step ({@code "type": "step"}) and per epoch
 * ({@code "type": "epoch"}, with the validation metrics); a self-critical step adds its mean
 * {@code reward}, {@code baseline} and {@code entropy}. A resumed run first drops the lines written
 * after its checkpoint, so the log reads as one run.
 */
final class TrainingLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter writer;

    private TrainingLog(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Opens the log to continue after {@code fromStep} steps (0: a new run, any old log is replaced). */
    static TrainingLog open(Path file, long fromStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (fromStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    if (JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) <= fromStep) kept.add(line);
                } catch (IOException torn) {
                    break; // a line cut short by the interruption, and everything after it
                }
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
        return new TrainingLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    void step(TrainingState s, TrainStep.Result r, float lr, double imagesPerSecond) {
        ObjectNode o = JSON.createObjectNode().put("type", "step").put("step", s.step()).put("epoch", s.epoch() + 1)
                .put("loss", r.loss()).put("cross_entropy", r.crossEntropy()).put("grad_norm", r.gradNorm())
                .put("lr", lr).put("images_per_second", imagesPerSecond);
        if (r.rewards() != null) {
            o.put("reward", r.rewards().reward()).put("baseline", r.rewards().baseline()).put("entropy", r.rewards().entropy());
        }
        write(o);
    }

    void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
        ObjectNode o = JSON.createObjectNode().put("type", "epoch").put("step", s.step()).put("epoch", s.epoch()).put("best", best);
        metrics.forEach(o::put);
        write(o);
    }

    private void write(ObjectNode o) {
        try {
            writer.write(o.toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(AtomicFiles.naming(file, e));
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
