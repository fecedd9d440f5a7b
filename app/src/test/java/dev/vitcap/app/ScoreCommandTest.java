package dev.vitcap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private JsonNode fixture;
    private Path annotations;
    private Path results;

    /** The run's exit code, standard output and standard error. */
    private record Run(int status, String out, String err) {
        /** The one line a failed run prints: a message, never a stack trace. */
        String errorLine() {
            assertEquals(1, status, "exit status; stderr: " + err);
            assertEquals(1, err.lines().count(), "stderr lines: " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
            return err.strip();
        }
    }

    private Run score(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("score"));
        all.addAll(List.of(args));
        int status = cli.execute(all.toArray(new String[0]));
        return new Run(status, out.toString(), err.toString());
    }

    /** The fixture's captions as a COCO captions file and a COCO results file. */
    @BeforeEach
    void writeFixtureFiles() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/metrics-a.json")) {
            fixture = JSON.readTree(in);
        }
        ObjectNode coco = JSON.createObjectNode();
        ArrayNode images = coco.putArray("images");
        ArrayNode anns = coco.putArray("annotations");
        ArrayNode res = JSON.createArrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = fixture.get("images").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            int id = Integer.parseInt(image.getKey());
            images.addObject().put("id", id);
            for (JsonNode ref : image.getValue().get("refs")) {
                anns.addObject().put("image_id", id).put("caption", ref.asText());
            }
            res.addObject().put("image_id", id).put("caption", image.getValue().get("cand").asText());
        }
        annotations = write("annotations.json", coco.toString());
        results = write("results.json", res.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private void assertFixtureCorpusScores(JsonNode scores) {
        for (Iterator<Map.Entry<String, JsonNode>> it = fixture.get("corpus").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> metric = it.next();
            assertEquals(metric.getValue().asDouble(), scores.get(metric.getKey()).asDouble(), 1e-9, metric.getKey());
        }
    }

    @Test
    void jsonOutputHasTheReferenceScoresUnderTheReferenceNames() throws IOException {
        Run run = score("--annotations", annotations.toString(), "--results", results.toString(), "--json");
        assertEquals(0, run.status(), run.err());
        assertEquals(1, run.out().lines().count());
        JsonNode scores = JSON.readTree(run.out());
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"), fieldNames(scores));
        assertFixtureCorpusScores(scores);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void tableSaysMeteorAndSpiceAreNotComputedAndPerImageScoresAreWritten() throws IOException {
        Path perImage = dir.resolve("per-image.json");
        Run run = score("--annotations", annotations.toString(), "--results", results.toString(),
                "--per-image", perImage.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("CIDEr     " + String.format("%.6f", fixture.get("corpus").get("CIDEr").asDouble())),
                run.out());
        assertTrue(run.out().contains("METEOR and SPICE: not computed"), run.out());
        assertTrue(run.out().contains("--meteor-jar"), run.out());
        JsonNode images = JSON.readTree(perImage.toFile());
        assertEquals(fixture.get("images").size(), images.size());
        for (JsonNode image : images) {
            JsonNode expected = fixture.get("per_image").get(image.get("image_id").asText());
            for (String metric : fieldNames(expected)) {
                assertEquals(expected.get(metric).asDouble(), image.get(metric).asDouble(), 1e-9, metric);
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void karpathySplitFormatIsDetectedAndIdsAreCocoids() throws IOException {
        ObjectNode karpathy = JSON.createObjectNode();
        ArrayNode images = karpathy.putArray("images");
        int imgid = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = fixture.get("images").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            ObjectNode entry = images.addObject().put("imgid", imgid++).put("split", "test")
                    .put("cocoid", Integer.parseInt(image.getKey()));
            ArrayNode sentences = entry.putArray("sentences");
            image.getValue().get("refs").forEach(r -> sentences.addObject().put("raw", r.asText()));
        }
        images.addObject().put("imgid", 999).put("cocoid", 999).put("split", "train").putArray("sentences")
                .addObject().put("raw", "a training caption");
        Path dataset = write("dataset_coco.json", karpathy.toString());

        Run run = score("--annotations", dataset.toString(), "--results", results.toString(), "--split", "test", "--json");
        assertEquals(0, run.status(), run.err());
        assertFixtureCorpusScores(JSON.readTree(run.out()));

        String noSplit = score("--annotations", dataset.toString(), "--results", results.toString()).errorLine();
        assertTrue(noSplit.contains("--split test|train"), noSplit);
    }

    @Test
    void badFilesGiveOneLineNamingFileAndPlace() throws IOException {
        String missing = score("--annotations", dir.resolve("nope.json").toString(), "--results", results.toString()).errorLine();
        assertTrue(missing.contains("nope.json") && missing.contains("no such file"), missing);

        Path notJson = write("notjson.json", "hello world");
        String notJsonLine = score("--annotations", notJson.toString(), "--results", results.toString()).errorLine();
        assertTrue(notJsonLine.contains("notjson.json is not valid JSON at line 1, column"), notJsonLine);

        String content = Files.readString(annotations);
        Path truncated = write("truncated.json", "{\n  \"images\": [\n" + content.substring(12, 200));
        String truncatedLine = score("--annotations", truncated.toString(), "--results", results.toString()).errorLine();
        assertTrue(truncatedLine.contains("truncated.json is not valid JSON at line 3, column"), truncatedLine);

        Path wrong = write("wrong.json", "[1, 2, 3]");
        String wrongLine = score("--annotations", wrong.toString(), "--results", results.toString()).errorLine();
        assertTrue(wrongLine.contains("wrong.json: neither the COCO captions format"), wrongLine);
        String wrongResults = score("--annotations", annotations.toString(), "--results", annotations.toString()).errorLine();
        assertTrue(wrongResults.contains("not in the COCO results format"), wrongResults);

        Path noCaption = write("nocaption.json", "{\"annotations\": [{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 1}]}");
        String noCaptionLine = score("--annotations", noCaption.toString(), "--results", results.toString()).errorLine();
        assertTrue(noCaptionLine.contains("nocaption.json: annotations[1] has no \"caption\""), noCaptionLine);

        Path badId = write("badid.json", "[{\"image_id\": 1.5, \"caption\": \"a\"}]");
        String badIdLine = score("--annotations", annotations.toString(), "--results", badId.toString()).errorLine();
        assertTrue(badIdLine.contains("badid.json: result [0].image_id is 1.5, not an integer or a string"), badIdLine);
    }

    @Test
    void referencesWithNoCaptionThatIsNotBlankAreAnErrorNamingTheFile() throws IOException {
        Path blank = write("blank.json", "{\"annotations\": [{\"image_id\": 1, \"caption\": \"  \"}, {\"image_id\": 2, \"caption\": \"\"}]}");
        Path results = write("two.json", "[{\"image_id\": 1, \"caption\": \"a dog\"}, {\"image_id\": 2, \"caption\": \"a cat\"}]");
        assertEquals("vitcap score: " + blank + ": no reference captions: all 2 are blank",
                score("--annotations", blank.toString(), "--results", results.toString()).errorLine());
        assertEquals("vitcap score: " + blank + ": no reference captions: all 2 are blank",
                score("--annotations", blank.toString(), "--results", results.toString(), "--lenient").errorLine());

        Path oneBlank = write("oneblank.json", "{\"annotations\": [{\"image_id\": 1, \"caption\": \"a dog\"}, {\"image_id\": 2, \"caption\": \" \"}]}");
        assertEquals("vitcap score: " + oneBlank + " has no reference caption for image 2 that is not blank (--lenient skips it)",
                score("--annotations", oneBlank.toString(), "--results", results.toString()).errorLine());
        Run lenient = score("--annotations", oneBlank.toString(), "--results", results.toString(), "--lenient");
        assertEquals(0, lenient.status(), lenient.err());
    }

    @Test
    void unknownDuplicateAndMissingResultsAreErrorsUnlessLenient() throws IOException {
        ArrayNode res = (ArrayNode) JSON.readTree(results.toFile());
        ArrayNode unknown = res.deepCopy();
        unknown.addObject().put("image_id", 4242).put("caption", "a cat");
        Path unknownFile = write("unknown.json", unknown.toString());
        String unknownLine = score("--annotations", annotations.toString(), "--results", unknownFile.toString()).errorLine();
        assertTrue(unknownLine.contains("unknown.json: result [25] is for image 4242"), unknownLine);

        ArrayNode duplicate = res.deepCopy();
        duplicate.addObject().put("image_id", 3).put("caption", "a plate");
        Path duplicateFile = write("duplicate.json", duplicate.toString());
        String duplicateLine = score("--annotations", annotations.toString(), "--results", duplicateFile.toString()).errorLine();
        assertTrue(duplicateLine.contains("image 3 has more than one result ([2] and [25]"), duplicateLine);

        ArrayNode missing = res.deepCopy();
        missing.remove(6);
        missing.remove(0);
        Path missingFile = write("missing.json", missing.toString());
        String missingLine = score("--annotations", annotations.toString(), "--results", missingFile.toString()).errorLine();
        assertTrue(missingLine.contains("missing.json has no result for image 1 (nor for 1 more)"), missingLine);

        missing.add(unknown.get(25));
        missing.add(duplicate.get(25));
        Path everything = write("everything.json", missing.toString());
        Run lenient = score("--annotations", annotations.toString(), "--results", everything.toString(), "--lenient", "--json");
        assertEquals(0, lenient.status(), lenient.err());
        assertTrue(lenient.err().contains("skipped 2 image(s) without a result, 1 result(s) for unknown images, "
                + "1 duplicate result(s)"), lenient.err());
        assertEquals(6, JSON.readTree(lenient.out()).size());
    }

    @Test
    void meteorJarMustExistAndBeRunnable() throws IOException {
        String missing = score("--annotations", annotations.toString(), "--results", results.toString(),
                "--meteor-jar", dir.resolve("meteor-1.5.jar").toString()).errorLine();
        assertTrue(missing.contains("METEOR jar not found:") && missing.contains("meteor-1.5.jar"), missing);
        Path fake = write("fake.jar", "not a jar");
        String invalid = score("--annotations", annotations.toString(), "--results", results.toString(),
                "--meteor-jar", fake.toString()).errorLine();
        assertTrue(invalid.contains("fake.jar is not a jar file"), invalid);
    }
}
