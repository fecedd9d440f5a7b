package dev.vitcap.metrics;

import java.util.List;

/**
 * ROUGE-L as the COCO caption evaluation code computes it ({@code rouge.py}): the longest common
 * subsequence with each reference, the best precision and the best recall over the references taken
 * separately, and their F-measure with beta = 1.2. Tokens are the caption split on single spaces
 * (so an empty caption is one empty token), as the reference splits them.
 */
final class RougeL {
    private static final double BETA = 1.2;

    private RougeL() {}

    static double score(int[] candidate, List<int[]> references) {
        double bestPrecision = 0;
        double bestRecall = 0;
        for (int[] reference : references) {
            int common = longestCommonSubsequence(reference, candidate);
            bestPrecision = Math.max(bestPrecision, common / (double) candidate.length);
            bestRecall = Math.max(bestRecall, common / (double) reference.length);
        }
        if (bestPrecision == 0 || bestRecall == 0) {
            return 0;
        }
        double betaSquared = BETA * BETA;
        return (1 + betaSquared) * bestPrecision * bestRecall / (bestRecall + betaSquared * bestPrecision);
    }

    static int longestCommonSubsequence(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                current[j] = a[i - 1] == b[j - 1]
                        ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
