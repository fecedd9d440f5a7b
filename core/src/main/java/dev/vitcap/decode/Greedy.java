package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;

/** Greedy decoding: the most likely word at every step, for a whole batch at once. */
public final class Greedy {
    private Greedy() {
    }

    /**
     * Decodes up to {@code steps} words per image after {@code <start>}; with {@code end >= 0} an image
     * stops at its {@code <end>} (not included) and decoding stops when every image has.
     */
    public static int[][] decode(Captioner model, Tensor images, int batch, int steps, int start, int end) {
        Kernels k = model.kernels;
        int vocab = model.config.decoder().vocab();
        return WordByWord.decode(model, images, batch, steps, start, end, (step, logits, words) -> {
            Tensor next = step.i32(batch);
            k.argmaxRows(logits, batch, vocab, next);
            k.readInts(next, words);
        });
    }
}
