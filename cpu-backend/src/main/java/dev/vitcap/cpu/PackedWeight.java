package dev.vitcap.cpu;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.ShapedTensor;
import dev.vitcap.kernel.Tensor;

/**
 * A weight {@code W [n, k]} prepared for products {@code A·Wᵀ} of a few rows each, repeated many
 * times: a decoding's steps, the LSTM's recurrence. It keeps the weight where it lies for the products
 * OpenBLAS does well (one row, many rows) and, the first time a product of a few rows asks for it, a
 * copy on the Java heap laid out as {@link PackedGemm}'s panels.
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
    private float[] panels;

    PackedWeight(CpuTensor source, int n, int k, int ld) {
        super(DType.F32, new int[]{n, k});
        this.source = source;
        this.n = n;
        this.k = k;
        this.ld = ld;
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
                float[] row = new float[k];
                for (int j = from; j < to; j++) {
                    for (int v = 0; v < PANEL && j * PANEL + v < n; v++) {
                        int col = j * PANEL + v;
                        source.buf.asFloatBuffer().get(source.off + col * ld, row, 0, k);
                        for (int q = 0; q < k; q++) p[(j * k + q) * PANEL + v] = row[q];
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
