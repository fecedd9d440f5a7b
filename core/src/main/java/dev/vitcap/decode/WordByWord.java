package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

import java.util.Arrays;

/** The loop greedy decoding and sampling share: one word per image per step, until every image has ended. */
final class WordByWord {
    private WordByWord() {
    }

    /** Picks each image's next word from a step's logits {@code [batch, vocab]}, with the word's log-probability. */
    interface NextWords {
        /** Fills {@code words} and {@code logProbs}; temporaries go in {@code step}, which is freed after the call. */
        void choose(Arena step, Tensor logits, int[] words, float[] logProbs);
    }

    static Decoded[] decode(Captioner model, Tensor images, int batch, int steps, int start, int end, NextWords next) {
        try (Arena a = new Arena(model.kernels)) {
            return decodeEncoded(model, model.encoder.forward(a, images, batch).out, batch, steps, start, end, next);
        }
    }

    /** The same from the encoder's tokens {@code enc [batch, tokens, dim]}, already computed. */
    static Decoded[] decodeEncoded(Captioner model, Tensor enc, int batch, int steps, int start, int end, NextWords next) {
        Kernels k = model.kernels;
        Captions out = new Captions(batch, steps, end);
        int[] current = new int[batch];
        float[] logProbs = new float[batch];
        Arrays.fill(current, start);
        try (Arena a = new Arena(k)) {
            Decoder.State state = a.keep(model.decoder.start(a, enc, batch, model.tokens()));
            for (int t = 0; t < steps && out.anyAlive(); t++) {
                try (Arena step = new Arena(k)) {
                    next.choose(step, model.decoder.step(step, state, current), current, logProbs);
                }
                out.add(current, logProbs);
            }
        }
        return out.decoded();
    }
}
