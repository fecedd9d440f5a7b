package dev.vitcap.model;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

/**
 * The decoding state both LSTM decoders share: the hidden and cell tensors of a batch of hypotheses,
 * and the word gates the decoding has computed so far (shared by every hypothesis).
 */
class LstmState implements Decoder.State {
    final Kernels k;
    final int batch;
    final WordGates wordGates;
    Tensor h, c;

    LstmState(Kernels k, int batch, WordGates wordGates, Tensor h, Tensor c) {
        this.k = k;
        this.batch = batch;
        this.wordGates = wordGates;
        this.h = h;
        this.c = c;
    }

    @Override
    public int batch() {
        return batch;
    }

    /** Takes ownership of the new recurrent state, freeing the old. */
    void replace(Tensor h, Tensor c) {
        close();
        this.h = h;
        this.c = c;
    }

    @Override
    public void close() {
        if (h != null) h.close();
        if (c != null) c.close();
        h = c = null;
    }
}
