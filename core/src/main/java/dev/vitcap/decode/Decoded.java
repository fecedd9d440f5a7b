package dev.vitcap.decode;

import java.util.List;

/**
 * One decoded caption as token ids: its words (without {@code <start>} and {@code <end>}) and each
 * word's log-probability under the model; the caption's log-probability (its words' and, when it
 * ended, its {@code <end>}'s); the score it was ranked by (the log-probability, length-normalised when
 * beam search has a length penalty); whether it ended with {@code <end>} (false when it reached the
 * length limit); and beam search's other finished captions, best first, when asked for.
 */
public record Decoded(int[] words, float[] logProbs, double logProb, double score, boolean ended, List<Decoded> alternatives) {
}
