package dev.vitcap.decode;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;

/** Greedy decoding: the most likely word at every step, for a whole batch at once. */
final class Greedy {
    private Greedy() {
    }

    /**
     * Decodes up to {@code steps} words per image after {@code <start>}; with {@code end >= 0} an image
     * stops at its {@code <end>} (not included) and decoding stops when every image has. The backend
     * ranks each row and only the best word and its log-probability come back.
     */
    static Decoded[] decode(Captioner model, Tensor images, int batch, int steps, int start, int end) {
        return WordByWord.decode(model, images, batch, steps, start, end, best(model, batch));
    }

    /** The same from the encoder's tokens, already computed. */
    static Decoded[] decodeEncoded(Captioner model, Tensor enc, int batch, int steps, int start, int end) {
        return WordByWord.decodeEncoded(model, enc, batch, steps, start, end, best(model, batch));
    }

    private static WordByWord.NextWords best(Captioner model, int batch) {
        Kernels k = model.kernels;
        int vocab = model.config.decoder().vocab();
        return (step, logits, words, logProbs) -> {
            Tensor values = step.f32(batch, 1), indices = step.i32(batch, 1);
            k.logSoftmax(logits, logits, batch, vocab);
            k.topK(logits, batch, vocab, 1, values, indices);
            k.read(values, logProbs);
            k.readInts(indices, words);
        };
    }
}
