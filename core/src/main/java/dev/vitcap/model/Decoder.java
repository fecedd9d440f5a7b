package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Tensor;

/**
 * A caption decoder over encoder tokens {@code enc [batch, tokens, dim]}: teacher-forced for
 * training, one word at a time for decoding.
 */
public interface Decoder {
    DecoderConfig config();

    /** A teacher-forced pass: the loss, its parts, the logits and what the backward pass needs. */
    interface Pass {
        /** Cross-entropy (mean over real targets) plus the attention regulariser where there is one. */
        double loss();

        double crossEntropy();

        /** Logits {@code [steps·batch, vocab]}, time-major. */
        Tensor logits();

        /** Attention weights {@code [steps, batch, tokens]}, or null for a decoder without attention. */
        Tensor attention();
    }

    Pass forward(Arena a, Tensor enc, int tokens, CaptionBatch captions, PassOptions options);

    /** Accumulates every parameter gradient and {@code dEnc [batch, tokens, dim]}. */
    void backward(Arena a, Pass pass, Tensor dEnc);

    /**
     * The recurrent state of a batch of hypotheses being decoded. It owns its per-step tensors (each
     * step replaces and frees them); tensors fixed for the whole decoding live in the arena given to
     * {@link #start}. Closing it frees what it owns.
     */
    interface State extends AutoCloseable {
        int batch();

        @Override
        void close();
    }

    State start(Arena a, Tensor enc, int batch, int tokens);

    /** Repeats each image's state {@code times} times (image-major), for beam search; the new state's fixed tensors go in {@code a}. */
    State expand(Arena a, State s, int times);

    /**
     * Reads one word per row ({@code words[r]}, r below the state's batch), advances the state, returns
     * logits {@code [batch, vocab]} allocated in {@code scratch} (as are the step's temporaries).
     */
    Tensor step(Arena scratch, State s, int[] words);

    /** Keeps row {@code idx[r]} of the state as row r. */
    void reorder(State s, Tensor idx);
}
