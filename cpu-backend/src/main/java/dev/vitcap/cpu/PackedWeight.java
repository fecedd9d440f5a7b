package dev.vitcap.cpu;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.ShapedTensor;
import dev.vitcap.kernel.Tensor;

/**
 * A weight {@code W [n, k]} ({@code source}'s rows {@code ld} apart, or, {@code transposed}, the
 * transpose of {@code source [k, n]}) prepared for products {@code A·Wᵀ} of a few rows each, repeated many
 * times: a decoding's steps, the LSTM's recurrence. It keeps the weight where it lies for the
 * products of a small batch, which OpenBLAS does well enough, and, the first time a product of a
 * large batch asks for it, a copy on the Java heap laid out as {@link PackedGemm}'s panels.
 *
 * <p>Why a heap copy: on Java 17 the Vector API loads from a {@code float[]} about twice as fast as
 * from the direct buffers the tensors live in, and a product of 32 rows is bound by those loads;
 * OpenBLAS, for its part, packs the whole weight again on every call.
 */
final class PackedWeight extends ShapedTensor {
    /** Columns of W (rows of C's columns) per panel: four vectors. */
    static final int PANEL = 4 * Vec.L;

    final CpuTensor source;
    final int n, k, ld;
    final boolean transposed;
    /** Packed on the first product whatever its rows: the batch it serves is large. */
    final boolean forLargeBatch;
    private float[] panels;

    PackedWeight(CpuTensor source, int n, int k, int ld, boolean transposed, boolean forLargeBatch) {
        super(DType.F32, new int[]{n, k});
        this.source = source;
        this.n = n;
        this.k = k;
        this.ld = ld;
        this.transposed = transposed;
        this.forLargeBatch = forLargeBatch;
    }

    /**
     * Panel {@code j} holds {@code W[j·PANEL + v, p]} at {@code (j·k + p)·PANEL + v}: each step of a
     * product's inner loop reads one contiguous run, and the columns past {@code n} are zero.
     */
    synchronized float[] panels() {
        if (panels == null) {
            int count = (n + PANEL - 1) / PANEL;
            float[] p = new float[count * k * PANEL];
            Parallel.forEach(count, (long) k * PANEL, (chunk, from, to) -> {
                if (transposed) {
                    // A panel's row p is a run of source row p: copied as it is.
                    for (int j = from; j < to; j++) {
                        int width = Math.min(PANEL, n - j * PANEL);
                        for (int q = 0; q < k; q++) source.get(q * ld + j * PANEL, p, (j * k + q) * PANEL, width);
                    }
                    return;
                }
                // A panel's rows of W, read whole, then transposed sixteen columns at a time, a block that stays in L1.
                float[] rows = new float[PANEL * k];
                for (int j = from; j < to; j++) {
                    int width = Math.min(PANEL, n - j * PANEL), at = j * k * PANEL;
                    for (int v = 0; v < width; v++) source.get((j * PANEL + v) * ld, rows, v * k, k);
                    for (int q0 = 0; q0 < k; q0 += 16) {
                        int q1 = Math.min(k, q0 + 16);
                        for (int v = 0; v < width; v++) {
                            for (int q = q0; q < q1; q++) p[at + q * PANEL + v] = rows[v * k + q];
                        }
                    }
                }
            });
            panels = p;
        }
        return panels;
    }

    synchronized boolean packed() {
        return panels != null;
    }

    @Override
    public Tensor view(long offset, int... shape) {
        throw new UnsupportedOperationException("a prepared weight has no views");
    }

    @Override
    public synchronized void close() {
        panels = null;
    }
}
