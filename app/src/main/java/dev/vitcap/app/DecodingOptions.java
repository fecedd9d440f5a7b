package dev.vitcap.app;

import dev.vitcap.decode.DecodeOptions;
import picocli.CommandLine.Option;

/**
 * How captions are decoded: {@code --beam}, length controls, trigram blocking, or sampling. Options
 * left out keep the checkpoint's default decoding.
 */
final class DecodingOptions {
    @Option(names = "--beam", paramLabel = "N", description = "Beam width (default: the checkpoint's, else 1: greedy).")
    Integer beam;

    @Option(names = "--max-words", paramLabel = "N", description = "At most this many words (default: the model's caption length).")
    Integer maxWords;

    @Option(names = "--min-words", paramLabel = "N", description = "Beam search: no <end> before this many words.")
    Integer minWords;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", description = "Beam search: GNMT length penalty α (default: 0).")
    Float lengthPenalty;

    @Option(names = "--block-trigrams", description = "Beam search: never repeat a trigram within a caption.")
    Boolean blockTrigrams;

    @Option(names = "--alternatives", paramLabel = "N", description = "Beam search: also give the next N captions of the beam (at most the width less one).")
    Integer alternatives;

    @Option(names = "--sample", description = "Sample words instead of searching (with --temperature, --top-k, --top-p, --seed).")
    boolean sample;

    @Option(names = "--temperature", defaultValue = "1", description = "Sampling temperature, above 0 (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sampling: only the K likeliest words (default: ${DEFAULT-VALUE}, all).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "Sampling: only the likeliest words whose probability reaches P, in (0, 1] (default: ${DEFAULT-VALUE}, all).")
    float topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** {@code base} (the checkpoint's default decoding) with the options given on the command line. */
    DecodeOptions decoding(DecodeOptions base) {
        DecodeOptions d = base;
        int width = beam != null ? beam : sample ? 1 : base.beam();
        // The checkpoint's alternatives fit its beam; a narrower beam asked for here keeps what fits.
        if (alternatives == null && base.alternatives() > 0) d = d.withAlternatives(Math.max(0, Math.min(base.alternatives(), width - 1)));
        if (width != base.beam()) d = d.withBeam(width);
        if (maxWords != null) d = d.withMaxWords(maxWords);
        if (minWords != null) d = d.withMinWords(minWords);
        if (lengthPenalty != null) d = d.withLengthPenalty(lengthPenalty);
        if (blockTrigrams != null) d = d.withBlockTrigrams(blockTrigrams);
        if (alternatives != null) d = d.withAlternatives(alternatives);
        if (sample) d = d.withSampling(temperature, topK, topP, seed);
        return d;
    }
}
