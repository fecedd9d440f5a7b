package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.settings.Range;

import java.io.Serializable;

/**
 * How captions are decoded, and what comes back with them:
 * <ul>
 *   <li>greedy ({@code beam = 1}), beam search ({@code beam > 1}, with GNMT's length penalty α dividing a
 *       caption's log-probability by {@code ((5 + length) / 6)^α}, no {@code <end>} before
 *       {@code minWords}, and optional trigram blocking), or sampling ({@code sample}: temperature,
 *       top-k (0: all words), nucleus top-p (1: all), seeded so a seed gives the same caption);</li>
 *   <li>{@code maxWords}: at most this many words (null: the model's caption length); a caption
 *       that reaches it without {@code <end>} is returned as it stands;</li>
 *   <li>{@code alternatives}: how many of beam search's other finished captions to return as well;
 *       {@code attention}: return each word's attention over the image;</li>
 *   <li>{@code rescore} α (null: none), for a model trained in both directions: the left-to-right and the
 *       right-to-left beams' captions are scored by both decoders and ranked by
 *       {@code (1 − α)·log p_l2r + α·log p_r2l}, each divided by the caption's words plus its {@code <end>}.</li>
 * </ul>
 * Build from {@link #GREEDY}, {@link #beam(int)} or {@link #sampling(long)} and the {@code with…} methods.
 */
public record DecodeOptions(int beam, Integer maxWords, int minWords, float lengthPenalty, boolean blockTrigrams,
                            boolean sample, float temperature, int topK, float topP, long seed, int alternatives, boolean attention,
                            Float rescore)
        implements Serializable { // a Spark job ships it to its executors

    /**
     * The allowed values of each setting, which the command line's decoding options are checked against too.
     * No caption needs more than 100 words, and the bound keeps one request from holding the model for minutes.
     */
    public static final Range BEAM = Range.between(1, Kernels.TOP_K_MAX), MAX_WORDS = Range.between(1, 100), MIN_WORDS = Range.between(0, 100),
            LENGTH_PENALTY = Range.finite(), TEMPERATURE = Range.above(0), TOP_K = Range.atLeast(0), TOP_P = Range.aboveUpTo(0, 1),
            ALTERNATIVES = Range.between(0, Kernels.TOP_K_MAX - 1), RESCORE = Range.between(0, 1);

    // After the ranges, which its construction checks against.
    public static final DecodeOptions GREEDY = new DecodeOptions(1, null, 0, 0f, false, false, 1f, 0, 1f, 0, 0, false, null);

    public DecodeOptions {
        BEAM.check("beam width", beam);
        if (maxWords != null) MAX_WORDS.check("max words", maxWords);
        MIN_WORDS.check("min words", minWords);
        if (maxWords != null && minWords > maxWords) throw new IllegalArgumentException("min words (" + minWords + ") exceeds max words (" + maxWords + ")");
        LENGTH_PENALTY.check("length penalty", lengthPenalty);
        TEMPERATURE.check("temperature", temperature);
        TOP_K.check("top-k", topK);
        TOP_P.check("top-p", topP);
        if (sample && beam > 1) throw new IllegalArgumentException("sampling and beam search exclude each other: use beam 1 to sample");
        if (rescore != null) RESCORE.check("rescore weight", rescore);
        if (sample && rescore != null) throw new IllegalArgumentException("sampling and rescoring exclude each other: rescoring ranks the beams' captions");
        if (alternatives < 0 || alternatives > beam - 1) {
            throw new IllegalArgumentException("alternatives must be between 0 and the beam width less one (" + (beam - 1) + "), not " + alternatives);
        }
    }

    public static DecodeOptions beam(int width) {
        return GREEDY.withBeam(width);
    }

    public static DecodeOptions sampling(long seed) {
        return new DecodeOptions(1, null, 0, 0f, false, true, 1f, 0, 1f, seed, 0, false, null);
    }

    public DecodeOptions withBeam(int width) {
        return new DecodeOptions(width, maxWords, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    public DecodeOptions withMaxWords(Integer n) {
        return new DecodeOptions(beam, n, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    public DecodeOptions withMinWords(int n) {
        return new DecodeOptions(beam, maxWords, n, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    public DecodeOptions withLengthPenalty(float alpha) {
        return new DecodeOptions(beam, maxWords, minWords, alpha, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    public DecodeOptions withBlockTrigrams(boolean on) {
        return new DecodeOptions(beam, maxWords, minWords, lengthPenalty, on, sample, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    /** Sampling with these settings (temperature, top-k, top-p, seed). */
    public DecodeOptions withSampling(float temperature, int topK, float topP, long seed) {
        return new DecodeOptions(beam, maxWords, minWords, lengthPenalty, blockTrigrams, true, temperature, topK, topP, seed, alternatives, attention, rescore);
    }

    public DecodeOptions withAlternatives(int n) {
        return new DecodeOptions(beam, maxWords, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, n, attention, rescore);
    }

    public DecodeOptions withAttention(boolean on) {
        return new DecodeOptions(beam, maxWords, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, on, rescore);
    }

    /** Ranks the captions of both directions' beams by both decoders, with weight α on the right-to-left one (null: no rescoring). */
    public DecodeOptions withRescore(Float alpha) {
        return new DecodeOptions(beam, maxWords, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed, alternatives, attention, alpha);
    }

    /**
     * Decoding steps for a model whose captions hold {@code maxLength} tokens with {@code <start>}: the words
     * and one {@code <end>}; with {@code maxWords}, that many (a caption then holds at most that many words,
     * and one that reaches them has not ended).
     */
    int steps(int maxLength) {
        return maxWords != null ? maxWords : maxLength - 1;
    }

    /** Whether greedy decoding's batch loop gives exactly what beam search of width 1 would. */
    boolean plainGreedy() {
        return beam == 1 && minWords == 0 && !blockTrigrams && alternatives == 0;
    }

    double normalise(double score, int length) {
        return lengthPenalty == 0 ? score : score / Math.pow((5 + length) / 6.0, lengthPenalty);
    }
}
