package dev.vitcap.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code vitcap tune} in a child JVM on a small synthetic world: an ASHA search with two workers,
 * killed with SIGKILL once a trial has finished a stage, then the same command again. Every trial is
 * recorded exactly once, each stage starts and ends once, promotions resume where the stage ended,
 * no trial JVM outlives the killed search, and the search leaves a usable best checkpoint and its plot.
 * Trials that all fail stop the search after three, each with its reason.
 */
class TuneCommandTest {
    @TempDir
    static Path dir;
    static Path world, space;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void world() throws IOException {
        world = dir.resolve("world");
        SynthWorld.generate(new SynthWorld.Spec(world, 48, 12, 1, 60, 5));
        space = Files.writeString(dir.resolve("space.json"), "{\"lr\": {\"log_uniform\": [1e-3, 1e-2]}, \"decoder.hidden\": {\"choice\": [32, 64]}}");
    }

    @Test
    void aSearchKilledAndRunAgainRecordsEveryTrialOnce() throws Exception {
        Path out = dir.resolve("asha");
        List<String> args = List.of("tune", "--world", world.toString(), "--space", space.toString(), "--out", out.toString(),
                "--algorithm", "asha", "--trials", "5", "--parallel", "2", "--epochs", "3", "--batch", "16", "--backend", "cpu");
        Process first = vitcap(args, dir.resolve("first.log"));
        Path events = out.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(events) && Files.readString(events).contains("\"status\":\"stopped\""))) {
            if (!first.isAlive() || System.nanoTime() > deadline) fail("no stage ended before the kill\n" + Files.readString(dir.resolve("first.log")));
            Thread.sleep(50);
        }
        long killed = first.pid();
        first.destroyForcibly().waitFor();

        Process again = vitcap(args, dir.resolve("again.log"));
        assertTrue(again.waitFor(180, TimeUnit.SECONDS), "the continued search ends");
        String output = Files.readString(dir.resolve("again.log"));
        assertEquals(0, again.exitValue(), output);
        assertTrue(output.contains("resume    "), output);
        assertEquals(0, ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("vitcap.tune.parent=" + killed)).count(),
                "no trial of the killed search is left running");

        Map<Integer, List<JsonNode>> byTrial = new LinkedHashMap<>();
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            JsonNode e = JSON.readTree(line);
            for (String field : List.of("id", "status", "params", "epochs", "objective")) assertTrue(e.has(field), field + " in " + line);
            byTrial.computeIfAbsent(e.get("id").asInt(), k -> new ArrayList<>()).add(e);
        }
        assertEquals(List.of(1, 2, 3, 4, 5), new ArrayList<>(byTrial.keySet()), "five trials, numbered in order");
        double bestObjective = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, List<JsonNode>> t : byTrial.entrySet()) {
            List<JsonNode> stages = t.getValue();
            for (int i = 0; i < stages.size(); i++) {
                String status = stages.get(i).get("status").asText();
                // Each stage is announced once and ends once: running, then stopped or done, in turn.
                assertTrue(i % 2 == 0 ? status.equals("running") : status.equals("stopped") || status.equals("done"),
                        "trial " + t.getKey() + " event " + i + ": " + stages);
                if (i % 2 == 0 && i > 0) {
                    assertEquals(stages.get(i - 1).get("epochs").asInt(), stages.get(i).get("epochs").asInt(), "a promotion resumes where the stage ended");
                }
                if (i % 2 == 1) assertEquals(stages.get(i).get("until").asInt(), stages.get(i).get("epochs").asInt(), "the stage trained to its rung");
            }
            assertEquals(0, stages.size() % 2, "trial " + t.getKey() + " ended: " + stages);
            bestObjective = Math.max(bestObjective, stages.get(stages.size() - 1).get("objective").asDouble());
            // The trial's training log holds each epoch once: a stage cut by the kill went on from its checkpoint.
            List<Integer> epochs = new ArrayList<>();
            for (String line : Files.readAllLines(out.resolve("trials").resolve(t.getKey().toString()).resolve("log.jsonl"))) {
                JsonNode e = JSON.readTree(line);
                if (e.path("type").asText().equals("epoch")) epochs.add(e.get("epoch").asInt());
            }
            List<Integer> expected = new ArrayList<>();
            for (int e = 1; e <= stages.get(stages.size() - 1).get("epochs").asInt(); e++) expected.add(e);
            assertEquals(expected, epochs, "trial " + t.getKey());
        }
        assertTrue(byTrial.values().stream().anyMatch(s -> s.size() > 2), "ASHA promoted a trial");

        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        assertEquals(bestObjective, best.get("objective").asDouble(), 1e-12);
        assertEquals("CIDEr", best.get("metric").asText());
        assertEquals(2, best.get("params").size());
        Checkpoint.load(Path.of(best.get("checkpoint").asText()));
        assertEquals(best.get("params").get("decoder.hidden").asInt(), Checkpoint.readModelConfig(out.resolve("best.json")).decoder().hidden(),
                "best.json holds the best trial's model, for train --config");
        BufferedImage plot = ImageIO.read(out.resolve("tune.png").toFile());
        assertNotNull(plot);
        assertEquals(1260, plot.getWidth());
    }

    @Test
    void trialsThatKeepFailingStopTheSearchWithTheirReason() throws Exception {
        Path weights = Files.writeString(dir.resolve("broken.safetensors"), "not weights");
        Path out = dir.resolve("failing");
        Process p = vitcap(List.of("tune", "--world", world.toString(), "--space", space.toString(), "--out", out.toString(), "--parallel", "1",
                "--trials", "6", "--epochs", "1", "--encoder-weights", weights.toString(), "--backend", "cpu"), dir.resolve("failing.log"));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String output = Files.readString(dir.resolve("failing.log"));
        assertEquals(1, p.exitValue(), output);
        List<JsonNode> failed = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if (e.get("status").asText().equals("failed")) failed.add(e);
        }
        assertEquals(3, failed.size(), output);
        for (JsonNode e : failed) assertTrue(e.get("reason").asText().startsWith(weights.toString()), e.toString());
        assertTrue(output.contains("3 trials failed in a row"), output);
    }

    /** {@code vitcap} in a JVM of its own, as a user runs it, its output in {@code log}. */
    static Process vitcap(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
