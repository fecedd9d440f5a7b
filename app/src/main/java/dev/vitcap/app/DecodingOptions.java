package dev.vitcap.app;

import dev.vitcap.decode.DecodeOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * How captions are decoded: {@code --beam}, length controls, trigram blocking, sampling, or rescoring. Options
 * left out keep the checkpoint's default decoding. Each value is checked against its range as it is
 * parsed, and {@link #check} refuses combinations that contradict each other before any work.
 */
final class DecodingOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--beam", paramLabel = "N", converter = Ranges.Beam.class,
            description = "Beam width, 1 to 32 (default: the checkpoint's, else 1: greedy).")
    Integer beam;

    @Option(names = "--max-words", paramLabel = "N", converter = Ranges.MaxWords.class,
            description = "At most this many words, 1 to 100 (default: the model's caption length).")
    Integer maxWords;

    @Option(names = "--min-words", paramLabel = "N", converter = Ranges.MinWords.class,
            description = "Beam search: no <end> before this many words, 0 to 100 (at most --max-words).")
    Integer minWords;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", converter = Ranges.LengthPenalty.class,
            description = "Beam search: GNMT length penalty α, any finite number (default: 0).")
    Float lengthPenalty;

    @Option(names = "--block-trigrams", description = "Beam search: never repeat a trigram within a caption.")
    Boolean blockTrigrams;

    @Option(names = "--alternatives", paramLabel = "N", converter = Ranges.Alternatives.class,
            description = "Beam search: also give the next N captions of the beam (at most the width less one).")
    Integer alternatives;

    @Option(names = "--rescore", paramLabel = "ALPHA", converter = Ranges.Rescore.class,
            description = "A model trained with --directions both: rank both directions' beam captions by (1 − ALPHA)·left-to-right + ALPHA·right-to-left log-probability per token, ALPHA in [0, 1].")
    Float rescore;

    @Option(names = "--sample", description = "Sample words instead of searching (with --temperature, --top-k, --top-p, --seed).")
    boolean sample;

    @Option(names = "--temperature", paramLabel = "T", converter = Ranges.Temperature.class,
            description = "Sampling temperature, above 0 (default: 1).")
    Float temperature;

    @Option(names = "--top-k", paramLabel = "K", converter = Ranges.TopK.class,
            description = "Sampling: only the K likeliest words, at least 0 (default: 0, all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", converter = Ranges.TopP.class,
            description = "Sampling: only the likeliest words whose probability reaches P, in (0, 1] (default: 1, all).")
    Float topP;

    @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: 0).")
    Long seed;

    /** Refuses options that contradict each other, before the checkpoint is read. */
    void check() {
        List<String> samplingOnly = new ArrayList<>();
        if (temperature != null) samplingOnly.add("--temperature");
        if (topK != null) samplingOnly.add("--top-k");
        if (topP != null) samplingOnly.add("--top-p");
        if (seed != null) samplingOnly.add("--seed");
        if (!sample && !samplingOnly.isEmpty()) {
            throw usage(String.join(" and ", samplingOnly) + (samplingOnly.size() == 1 ? " applies" : " apply") + " only with --sample");
        }
        if (sample && rescore != null) throw usage("--sample and --rescore exclude each other: rescoring ranks the beams' captions");
        if (sample && beam != null && beam > 1) throw usage("--sample and --beam " + beam + " exclude each other: sampling draws one caption (--beam 1)");
        if (minWords != null && maxWords != null && minWords > maxWords) throw usage("--min-words (" + minWords + ") exceeds --max-words (" + maxWords + ")");
        Integer width = beam != null ? beam : sample ? Integer.valueOf(1) : null;
        if (alternatives != null && width != null && alternatives > width - 1) {
            throw usage("--alternatives must be less than the beam width (" + width + "), not " + alternatives);
        }
    }

    /** {@code base} (the checkpoint's default decoding) with the options given on the command line. */
    DecodeOptions decoding(DecodeOptions base) {
        DecodeOptions d = base;
        int width = beam != null ? beam : sample ? 1 : base.beam();
        if (alternatives != null && alternatives > width - 1) {
            throw usage("--alternatives " + alternatives + " needs a beam wider than " + alternatives + " (the checkpoint's is " + width + "): add --beam " + (alternatives + 1));
        }
        // The checkpoint's alternatives fit its beam; a narrower beam asked for here keeps what fits.
        if (alternatives == null && base.alternatives() > 0) d = d.withAlternatives(Math.max(0, Math.min(base.alternatives(), width - 1)));
        try {
            if (width != base.beam()) d = d.withBeam(width);
            if (maxWords != null) d = d.withMaxWords(maxWords);
            if (minWords != null) d = d.withMinWords(minWords);
            if (lengthPenalty != null) d = d.withLengthPenalty(lengthPenalty);
            if (blockTrigrams != null) d = d.withBlockTrigrams(blockTrigrams);
            if (alternatives != null) d = d.withAlternatives(alternatives);
            if (rescore != null) d = d.withRescore(rescore);
            if (sample) d = d.withSampling(temperature != null ? temperature : 1f, topK != null ? topK : 0, topP != null ? topP : 1f, seed != null ? seed : 0);
        } catch (IllegalArgumentException e) {
            // What is left conflicts with the checkpoint's own decoding (its beam, its caption length).
            throw usage(e.getMessage() + " (with the checkpoint's default decoding: beam " + base.beam()
                    + (base.maxWords() != null ? ", max words " + base.maxWords() : "") + ")");
        }
        return d;
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
