package dev.vitcap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against fixtures/metrics-a.json, made by pycocoevalcap (see fixtures/README.md). */
class CocoMetricsFixtureTest {
    private static final double TOLERANCE = 1e-9;

    private static JsonNode fixture() throws IOException {
        try (InputStream in = CocoMetricsFixtureTest.class.getResourceAsStream("/fixtures/metrics-a.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    @Test
    void tokensAndEveryScoreEqualTheReference() throws IOException {
        JsonNode fixture = fixture();
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fixture.get("images").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            ids.add(image.getKey());
            references.add(texts(image.getValue().get("refs")));
            candidates.add(image.getValue().get("cand").asText());
        }

        CocoMetrics.Tokenized tokenized = CocoMetrics.tokenize(references, candidates);
        assertTrue(tokenized.aligned());
        for (int i = 0; i < ids.size(); i++) {
            JsonNode image = fixture.get("images").get(ids.get(i));
            assertEquals(texts(image.get("refs_tokenized")), tokenized.references().get(i), "references of " + ids.get(i));
            assertEquals(image.get("cand_tokenized").asText(), tokenized.candidates().get(i), "candidate of " + ids.get(i));
        }

        CaptionScores scores = CocoMetrics.score(tokenized);
        assertEquals(CocoMetrics.NAMES, scores.metrics());
        for (String metric : CocoMetrics.NAMES) {
            assertEquals(fixture.get("corpus").get(metric).asDouble(), scores.corpus(metric), TOLERANCE, metric);
            for (int i = 0; i < ids.size(); i++) {
                double expected = fixture.get("per_image").get(ids.get(i)).get(metric).asDouble();
                assertEquals(expected, scores.image(metric, i), TOLERANCE, metric + " of image " + ids.get(i));
            }
        }
    }
}
