package dev.vitcap.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitcap.text.PythonText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static NgramCounts counts(NgramIndex index, String caption) {
        int[][] ngrams = index.ngrams(index.words(PythonText.split(caption)));
        return new NgramCounts(ngrams, new NgramScratch(index.ngramCount()));
    }

    @Test
    void bleuTakesTheClosestReferenceLengthAndTheShorterOnATie() {
        NgramIndex index = new NgramIndex();
        List<NgramCounts> refs = List.of(counts(index, "a b c d e f"), counts(index, "a b"), counts(index, "a b c d e f g h"));
        NgramCounts cand = counts(index, "a b c d e x g");
        Bleu.Stats stats = Bleu.stats(cand, refs, new NgramScratch(index.ngramCount()));
        // 7 words: references of 6 and 8 are both 1 away; the shorter counts.
        assertEquals(6, stats.referenceLength());
        assertArrayEquals(new long[] {6, 4, 3, 2}, stats.matches());
        assertArrayEquals(new long[] {7, 6, 5, 4}, stats.candidateNgrams());
    }

    @Test
    void bleuClipsRepeatedWordsToTheMostAnyReferenceHas() {
        NgramIndex index = new NgramIndex();
        List<NgramCounts> refs = List.of(counts(index, "the cat the"), counts(index, "the the the dog"));
        Bleu.Stats stats = Bleu.stats(counts(index, "the the the the"), refs, new NgramScratch(index.ngramCount()));
        assertEquals(3, stats.matches()[0]);
        assertEquals(2, stats.matches()[1]);
    }

    @Test
    void rougeLTakesBestPrecisionAndBestRecallFromDifferentReferences() {
        int[] cand = {1, 2, 3, 4};
        // LCS 2 with a 2-word reference (recall 1, precision 1/2), LCS 4 with a long one (precision 1, recall 1/2).
        double score = RougeL.score(cand, List.of(new int[] {1, 2}, new int[] {1, 5, 2, 6, 3, 7, 4, 8}));
        // Precision 1 from the long reference, recall 1 from the short one: a perfect F.
        assertEquals(1.0, score, 1e-15);
        assertEquals(0, RougeL.score(cand, List.of(new int[] {7, 8})));
        assertEquals(3, RougeL.longestCommonSubsequence(new int[] {1, 2, 3, 4, 5}, new int[] {2, 9, 4, 5}));
    }

    @Test
    void cocoScoresAreTheSameRunAfterRun() {
        List<List<String>> refs = new ArrayList<>();
        List<String> cands = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            refs.add(List.of("A dog " + i + " runs on the grass.", "the dog number " + (i % 7) + " is running", "grass and a dog"));
            cands.add("a dog " + (i % 11) + " running on grass");
        }
        CaptionScores first = CocoMetrics.score(refs, cands);
        CaptionScores second = CocoMetrics.score(refs, cands);
        for (String metric : CocoMetrics.NAMES) {
            assertEquals(Double.doubleToRawLongBits(first.corpus(metric)), Double.doubleToRawLongBits(second.corpus(metric)));
            for (int i = 0; i < first.images(); i++) {
                assertEquals(first.image(metric, i), second.image(metric, i));
            }
        }
        assertTrue(first.corpus(CocoMetrics.CIDER) > 0);
    }

    @Test
    void emptyCandidateScoresZeroAndCountsAsOneEmptyTokenForRouge() {
        CaptionScores scores = CocoMetrics.score(List.of(List.of("a cat"), List.of("a dog")), List.of("...", "a dog"));
        assertEquals(0, scores.image(CocoMetrics.ROUGE_L, 0));
        assertEquals(0, scores.image(CocoMetrics.CIDER, 0));
        assertEquals(1.0, scores.image(CocoMetrics.ROUGE_L, 1), 1e-12);
    }
}
