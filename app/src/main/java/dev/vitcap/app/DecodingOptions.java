package dev.vitcap.app;

import dev.vitcap.decode.Decoding;
import dev.vitcap.text.Vocabulary;
import picocli.CommandLine.Option;

/** How captions are decoded: {@code --beam}, length controls, trigram blocking, or sampling. */
final class DecodingOptions {
    @Option(names = "--beam", defaultValue = "1", description = "Beam width (default: ${DEFAULT-VALUE}, greedy).")
    int beam;

    @Option(names = "--max-words", description = "At most this many words (default: the model's caption length).")
    Integer maxWords;

    @Option(names = "--min-words", defaultValue = "0", description = "Beam search: no <end> before this many words.")
    int minWords;

    @Option(names = "--length-penalty", defaultValue = "0", description = "Beam search: GNMT length penalty α (default: ${DEFAULT-VALUE}).")
    float lengthPenalty;

    @Option(names = "--block-trigrams", description = "Beam search: never repeat a trigram within a caption.")
    boolean blockTrigrams;

    @Option(names = "--sample", description = "Sample words instead of searching (with --temperature, --top-k, --top-p, --seed).")
    boolean sample;

    @Option(names = "--temperature", defaultValue = "1")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0")
    int topK;

    @Option(names = "--top-p", defaultValue = "1")
    float topP;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    Decoding decoding(Vocabulary v) {
        int steps = maxWords != null ? maxWords + 1 : v.maxLength() - 1;
        return new Decoding(beam, steps, minWords, lengthPenalty, blockTrigrams, sample, temperature, topK, topP, seed,
                Vocabulary.START, Vocabulary.END);
    }
}
