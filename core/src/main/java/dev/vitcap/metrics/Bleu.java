package dev.vitcap.metrics;

import java.util.List;

/**
 * BLEU-1..4 as the COCO caption evaluation code computes it (its {@code bleu_scorer.py}, option
 * "closest"): clipped n-gram matches, the reference length closest to the candidate's (the shorter
 * on a tie), corpus scores from summed statistics, and per-image scores with the same smoothing:
 * 1e-15 added to every match count and 1e-9 to every n-gram count and reference length.
 */
final class Bleu {
    static final int N = NgramIndex.MAX_N;
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    /** One image's statistics. */
    record Stats(long candidateLength, long referenceLength, long[] matches, long[] candidateNgrams) {}

    private Bleu() {}

    static Stats stats(NgramCounts candidate, List<NgramCounts> references, NgramScratch scratch) {
        int length = candidate.length;
        int closest = -1;
        for (NgramCounts reference : references) {
            int distance = Math.abs(reference.length - length);
            int best = Math.abs(closest - length);
            if (closest < 0 || distance < best || (distance == best && reference.length < closest)) {
                closest = reference.length;
            }
        }
        long[] matches = new long[N];
        long[] ngrams = new long[N];
        int[] maxReference = scratch.count;
        for (int k = 0; k < N; k++) {
            ngrams[k] = Math.max(0, length - k);
            for (NgramCounts reference : references) {
                for (int d = 0; d < reference.ids[k].length; d++) {
                    int id = reference.ids[k][d];
                    maxReference[id] = Math.max(maxReference[id], reference.counts[k][d]);
                }
            }
            for (int d = 0; d < candidate.ids[k].length; d++) {
                matches[k] += Math.min(candidate.counts[k][d], maxReference[candidate.ids[k][d]]);
            }
            for (NgramCounts reference : references) {
                for (int id : reference.ids[k]) {
                    maxReference[id] = 0;
                }
            }
        }
        return new Stats(length, closest, matches, ngrams);
    }

    /** BLEU-1..4 of one image's statistics. */
    static double[] score(Stats stats) {
        return score(stats.candidateLength(), stats.referenceLength(), stats.matches(), stats.candidateNgrams());
    }

    /** BLEU-1..4 of the summed statistics of all images. */
    static double[] corpusScore(List<Stats> images) {
        long candidateLength = 0;
        long referenceLength = 0;
        long[] matches = new long[N];
        long[] ngrams = new long[N];
        for (Stats s : images) {
            candidateLength += s.candidateLength();
            referenceLength += s.referenceLength();
            for (int k = 0; k < N; k++) {
                matches[k] += s.matches()[k];
                ngrams[k] += s.candidateNgrams()[k];
            }
        }
        return score(candidateLength, referenceLength, matches, ngrams);
    }

    private static double[] score(long candidateLength, long referenceLength, long[] matches, long[] ngrams) {
        double[] bleu = new double[N];
        double product = 1;
        for (int k = 0; k < N; k++) {
            product *= (matches[k] + TINY) / (ngrams[k] + SMALL);
            bleu[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (candidateLength + TINY) / (referenceLength + SMALL);
        if (ratio < 1) {
            double brevity = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < N; k++) {
                bleu[k] *= brevity;
            }
        }
        return bleu;
    }
}
