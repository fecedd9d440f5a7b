package dev.vitcap.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo end to end at a toy scale, cross-entropy then self-critical training: every promised file is there, and `vitcap score` agrees with its metrics. */
class DemoCommandTest {
    @Test
    void writesTheFilesItPromisesAndScoreAgreesWithItsMetrics(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true));
            code = Main.commandLine().execute("demo", "--out", out.toString(), "--minutes", "0.03", "--scst-minutes", "0.01", "--train", "48", "--val", "8",
                    "--test", "10", "--backend", "cpu");
        } finally {
            System.setOut(stdout);
        }
        String log = captured.toString();
        assertEquals(0, code, log);
        for (String f : new String[]{"test-annotations.json", "test-results.json", "test-metrics.json", "model/best.json",
                "model/last.json", "model/log.jsonl", "model/curves.png", "model-xe/best.json", "model-xe/model-config.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " written");
        }
        try (var model = Files.list(out.resolve("model"))) {
            assertEquals(2, model.filter(p -> p.getFileName().toString().matches("(best|last)\\.[0-9a-f]{16}\\.safetensors")).count(), "one weights file each");
        }
        assertTrue(Files.readString(out.resolve("model/log.jsonl")).contains("\"reward\""), "the final model trained self-critically");
        assertTrue(Files.isDirectory(TrainingRun.defaultCache(out.resolve("model-xe"), DemoRecipe.IMAGE))
                        && !Files.exists(TrainingRun.defaultCache(out.resolve("model"), DemoRecipe.IMAGE)),
                "the self-critical stage reads the cross-entropy stage's image cache");
        try (var maps = Files.list(out.resolve("attention"))) {
            assertEquals(DemoCommand.SHOWN, maps.filter(p -> p.toString().endsWith(".png")).count());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode metrics = json.readTree(out.resolve("test-metrics.json").toFile());
        JsonNode results = json.readTree(out.resolve("test-results.json").toFile());
        assertEquals(10, results.size());
        double truthful = metrics.get("truthful").asDouble();
        assertTrue(truthful >= 0 && truthful <= 1);
        assertTrue(log.contains("reference:") && log.contains("vitcap:"), log);

        ByteArrayOutputStream scored = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(scored, true));
            assertEquals(0, Main.commandLine().execute("score", "--annotations", out.resolve("test-annotations.json").toString(),
                    "--results", out.resolve("test-results.json").toString(), "--json"));
        } finally {
            System.setOut(stdout);
        }
        JsonNode score = json.readTree(scored.toString());
        for (String m : new String[]{"Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr"}) {
            assertEquals(metrics.get(m).asDouble(), score.get(m).asDouble(), 1e-12, m);
        }
    }
}
