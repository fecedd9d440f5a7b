package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.Arrays;

/**
 * The word embedding's share of an LSTM's gates, {@code emb[w]·W_ih[:, :E]ᵀ}, for the words one
 * decoding reads: a word's row is computed the first time a step reads it and reused by every later
 * step and hypothesis. A decoding reads few distinct words (a batch of 32 greedy captions, a hundred
 * or so), so each step's input product shrinks to the attention context's columns, or, in the
 * show-and-tell decoder, to nothing. Valid for one decoding only: the weights must not change while it
 * runs, which is why it lives in the decoding state and not in the model.
 */
final class WordGates {
    private final Kernels k;
    private final Tensor emb, wIh, table;
    private final int e, gates;
    /** The table row of each word, -1 until a step has read it. */
    private final int[] rowOf;
    private int rows;

    /**
     * @param a     the arena of the decoding, which holds the table
     * @param emb   the embedding {@code [vocab, E]}
     * @param wIh   the input weights {@code [4H, ldw]}, whose first E columns read the embedding
     * @param batch the decoding's images
     */
    WordGates(Arena a, Tensor emb, Tensor wIh, int vocab, int e, int ldw, int gates, int batch) {
        this.k = a.kernels();
        this.emb = emb;
        this.wIh = a.keep(k.prepareWeight(wIh, gates, e, ldw, false, batch));
        this.e = e;
        this.gates = gates;
        this.table = a.f32(vocab, gates);
        this.rowOf = new int[vocab];
        Arrays.fill(rowOf, -1);
    }

    /** {@code out[r] = emb[words[r]]·W_ih[:, :E]ᵀ} for each of {@code n} rows, {@code out} of row stride {@code gates}. */
    void read(Arena scratch, int[] words, int n, Tensor out) {
        int[] fresh = new int[n];
        int count = 0;
        for (int r = 0; r < n; r++) {
            int w = words[r];
            if (w < 0 || w >= rowOf.length) throw new IllegalArgumentException("word id " + w + " outside the vocabulary of " + rowOf.length);
            if (rowOf[w] < 0) {
                rowOf[w] = rows + count;
                fresh[count++] = w;
            }
        }
        if (count > 0) {
            Tensor ids = scratch.i32(count), x = scratch.f32(count, e);
            k.writeInts(ids, Arrays.copyOf(fresh, count));
            k.embedding(emb, ids, count, e, x, e);
            k.gemmPrepared(count, x, e, wIh, 0f, table.from((long) rows * gates), gates);
            rows += count;
        }
        int[] at = new int[n];
        for (int r = 0; r < n; r++) at[r] = rowOf[words[r]];
        Tensor idx = scratch.i32(n);
        k.writeInts(idx, at);
        k.gatherRows(n, gates, table, idx, out);
    }
}
