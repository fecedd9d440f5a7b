package dev.vitcap.decode;

/**
 * How beam search runs. {@code end < 0} means hypotheses never end (every one runs {@code maxSteps}
 * words, as the benchmark counts beam search); {@code lengthPenalty} is GNMT's α, scores being divided
 * by {@code ((5 + length) / 6)^α}; {@code blockTrigrams} forbids a word that would repeat a trigram
 * already in the hypothesis.
 */
public record BeamOptions(int width, int maxSteps, int minLength, float lengthPenalty, boolean blockTrigrams, int start, int end) {
    public BeamOptions {
        if (width < 1) throw new IllegalArgumentException("beam width must be at least 1");
        if (maxSteps < 1) throw new IllegalArgumentException("maximum length must be at least 1");
    }

    double normalise(double score, int length) {
        return lengthPenalty == 0 ? score : score / Math.pow((5 + length) / 6.0, lengthPenalty);
    }
}
