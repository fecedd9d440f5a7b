package dev.vitcap.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trials.jsonl}: the search's memory, one JSON object per event ({@code id}, {@code status},
 * {@code params}, {@code epochs}, {@code objective}, …), each forced to disk before the work it
 * announces starts, so that a search killed at any moment (even {@code kill -9}) is read back whole
 * and continued. A line cut short by the kill is the only thing dropped.
 */
final class TrialLog implements AutoCloseable {
    static final String FILE = "trials.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the log held when opened: the trials by id, the search seconds spent, and the failures in a row at its end. */
    record Replay(List<Trial> trials, double elapsed, int failuresInARow) {
    }

    private final Path file;
    private final FileChannel channel;

    private TrialLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (or makes) the log of the search in {@code dir}, dropping a torn last line. */
    static TrialLog open(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // Everything after the last newline is a line the kill cut short (the log is small: read whole).
        byte[] bytes = Files.readAllBytes(file);
        int keep = bytes.length;
        while (keep > 0 && bytes[keep - 1] != '\n') keep--;
        channel.truncate(keep);
        channel.position(channel.size());
        return new TrialLog(file, channel);
    }

    /** Reads the trials back, checking each event's parameters against the space. */
    Replay replay(Space space) throws IOException {
        Map<Integer, Trial> trials = new LinkedHashMap<>();
        double elapsed = 0;
        int failuresInARow = 0, n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String where = file + " line " + n;
            try {
                JsonNode e = JSON.readTree(line);
                int id = e.path("id").asInt(-1);
                if (id < 1) throw new FileFormatException(where + ": an event needs an \"id\" of at least 1");
                Trial.Status status = Trial.Status.of(e.path("status").asText());
                elapsed = Math.max(elapsed, e.path("elapsed").asDouble(0));
                Trial t = trials.get(id);
                if (t == null) {
                    if (id != trials.size() + 1) throw new FileFormatException(where + ": trial " + id + " follows trial " + trials.size());
                    @SuppressWarnings("unchecked") Map<String, Object> params = JSON.treeToValue(e.path("params"), Map.class);
                    t = new Trial(id, space.check(params == null ? Map.of() : params, where), e.path("bracket").asInt(-1));
                    trials.put(id, t);
                }
                t.status = status;
                t.epochs = e.path("epochs").asInt(0);
                t.until = e.path("until").asInt(t.until);
                t.reason = e.hasNonNull("reason") ? e.get("reason").asText() : null;
                if (e.hasNonNull("objective")) t.objective = e.get("objective").asDouble();
                t.noteStage(elapsed);
                if (status != Trial.Status.RUNNING) failuresInARow = status == Trial.Status.FAILED ? failuresInARow + 1 : 0;
            } catch (JsonProcessingException ex) {
                throw new FileFormatException(where + ": " + JsonErrors.describe(ex));
            } catch (IllegalArgumentException ex) {
                throw new FileFormatException(where + ": " + ex.getMessage());
            }
        }
        return new Replay(new ArrayList<>(trials.values()), elapsed, failuresInARow);
    }

    /** Records where {@code t} stands now, {@code elapsed} search seconds in, and forces it to disk. */
    void record(Trial t, double elapsed) throws IOException {
        ObjectNode e = JSON.createObjectNode().put("id", t.id).put("status", t.status.word());
        e.set("params", JSON.valueToTree(t.params));
        e.put("epochs", t.epochs).put("until", t.until);
        if (Double.isNaN(t.objective)) e.putNull("objective");
        else e.put("objective", t.objective);
        if (t.reason != null) e.put("reason", t.reason);
        if (t.bracket >= 0) e.put("bracket", t.bracket);
        e.put("elapsed", Math.round(elapsed * 10) / 10.0).put("time", Instant.now().toString());
        try {
            channel.write(ByteBuffer.wrap((e + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException ex) {
            throw AtomicFiles.naming(file, ex);
        }
        t.noteStage(elapsed);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
