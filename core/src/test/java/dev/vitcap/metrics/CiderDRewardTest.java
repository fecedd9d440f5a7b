package dev.vitcap.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiderDRewardTest {
    @Test
    void withFrequenciesFromTheEvaluatedSetItEqualsTheCocoMetric() throws IOException {
        JsonNode images;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/metrics-a.json")) {
            images = new ObjectMapper().readTree(in).get("images");
        }
        List<List<String>> refs = new ArrayList<>();
        List<String> cands = new ArrayList<>();
        images.forEach(image -> {
            List<String> set = new ArrayList<>();
            image.get("refs").forEach(r -> set.add(r.asText()));
            refs.add(set);
            cands.add(image.get("cand").asText());
        });
        CaptionScores coco = CocoMetrics.score(refs, cands);
        CiderDReward reward = CiderDReward.fromReferenceSets(refs);
        List<CiderDReward.References> prepared = new ArrayList<>();
        refs.forEach(set -> prepared.add(reward.references(set)));
        double[] batch = reward.score(cands, prepared);
        for (int i = 0; i < cands.size(); i++) {
            assertEquals(coco.image(CocoMetrics.CIDER, i), batch[i], 1e-12, "image " + i);
            assertEquals(batch[i], reward.score(cands.get(i), prepared.get(i)), 0.0);
        }
    }

    @Test
    void wordsTheCorpusNeverSawStillMatchTheirReferences() {
        CiderDReward reward = CiderDReward.fromReferenceSets(List.of(List.of("a cat on a mat"), List.of("a dog in the park")));
        CiderDReward.References refs = reward.references(List.of("a zebra near a quokka", "zebra and quokka"));
        double matching = reward.score("a zebra near a quokka", refs);
        double unrelated = reward.score("a cat on a mat", refs);
        assertTrue(matching > unrelated, matching + " vs " + unrelated);
        assertArrayEquals(new double[] {matching, unrelated},
                reward.score(List.of("a zebra near a quokka", "a cat on a mat"), List.of(refs, refs)), 0.0);
    }
}
