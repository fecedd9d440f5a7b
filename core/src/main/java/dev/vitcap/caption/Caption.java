package dev.vitcap.caption;

import java.util.List;

/**
 * A caption of one image: its text (the words without the vocabulary's special tokens such as
 * {@code <unk>}), its words (every token it produced, each with its log-probability under the model), the
 * total log-probability (words and {@code <end>}), the score beam search ranked it by, whether it ended
 * with {@code <end>} (false when it reached the length limit), beam search's n-best alternatives when
 * asked for, and, when asked for and the decoder has attention, each word's attention over the image's
 * patch grid ({@code attention[word]} holds {@code gridRows × gridCols} weights, row-major; the share
 * the class token took is not part of the grid, so a row sums to at most 1).
 */
public record Caption(String text, List<String> words, float[] wordLogProbs, double logProb, double score, boolean ended,
                      List<Caption> alternatives, float[][] attention, int gridRows, int gridCols) {

    /** Whether per-word attention came with this caption. */
    public boolean hasAttention() {
        return attention != null;
    }

    /** Word {@code word}'s attention at patch ({@code row}, {@code col}). */
    public float attention(int word, int row, int col) {
        if (attention == null) throw new IllegalStateException("this caption has no attention (not asked for, or a show-and-tell decoder)");
        return attention[word][row * gridCols + col];
    }

    @Override
    public String toString() {
        return text;
    }
}
