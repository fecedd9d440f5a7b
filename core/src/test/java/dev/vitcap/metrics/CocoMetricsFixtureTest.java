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

    /** Image at a time, with document frequencies counted from each image's n-gram set, as a Spark job scores. */
    @Test
    void imageAtATimeEqualsTheReference() throws IOException {
        JsonNode fixture = fixture();
        List<String> ids = new ArrayList<>();
        fixture.get("images").fieldNames().forEachRemaining(ids::add);
        Map<String, Integer> frequency = new java.util.HashMap<>();
        for (String id : ids) {
            for (String ngram : ImageMetrics.documentNgrams(texts(fixture.get("images").get(id).get("refs_tokenized")))) {
                frequency.merge(ngram, 1, Integer::sum);
            }
        }
        long candidateLength = 0, referenceLength = 0;
        long[] matches = new long[ImageMetrics.ORDERS], ngrams = new long[ImageMetrics.ORDERS];
        double rouge = 0, cider = 0;
        ImageMetrics metrics = new ImageMetrics(ids.size());
        for (String id : ids) {
            JsonNode image = fixture.get("images").get(id);
            ImageMetrics.Scores s = metrics.score(texts(image.get("refs_tokenized")), image.get("cand_tokenized").asText(),
                    ngram -> frequency.getOrDefault(ngram, 0));
            JsonNode expected = fixture.get("per_image").get(id);
            for (int k = 0; k < ImageMetrics.ORDERS; k++) {
                assertEquals(expected.get(CocoMetrics.NAMES.get(k)).asDouble(), s.bleu()[k], TOLERANCE, "BLEU-" + (k + 1) + " of image " + id);
                matches[k] += s.matches()[k];
                ngrams[k] += s.candidateNgrams()[k];
            }
            assertEquals(expected.get(CocoMetrics.ROUGE_L).asDouble(), s.rouge(), TOLERANCE, "ROUGE-L of image " + id);
            assertEquals(expected.get(CocoMetrics.CIDER).asDouble(), s.cider(), TOLERANCE, "CIDEr-D of image " + id);
            candidateLength += s.candidateLength();
            referenceLength += s.referenceLength();
            rouge += s.rouge();
            cider += s.cider();
        }
        double[] bleu = ImageMetrics.corpusBleu(candidateLength, referenceLength, matches, ngrams);
        for (int k = 0; k < ImageMetrics.ORDERS; k++) {
            assertEquals(fixture.get("corpus").get(CocoMetrics.NAMES.get(k)).asDouble(), bleu[k], TOLERANCE, CocoMetrics.NAMES.get(k));
        }
        assertEquals(fixture.get("corpus").get(CocoMetrics.ROUGE_L).asDouble(), rouge / ids.size(), TOLERANCE);
        assertEquals(fixture.get("corpus").get(CocoMetrics.CIDER).asDouble(), cider / ids.size(), TOLERANCE);
    }
}
