package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.vitcap.cpu.PackedWeight.PANEL;
import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.S;

/**
 * {@code C = A·Wᵀ + beta·C} for a {@link PackedWeight} and an A of a few rows: a decoding step's
 * products (32 rows for a batch of greedy captions, 160 for its beams). OpenBLAS packs the whole
 * weight again on every call and reaches 100-120 GFLOP/s on these shapes on two cores; read from
 * panels packed once, a tile of four rows by four vectors reaches 130-175, and 210 with 160 rows
 * (AMD EPYC, 2 cores). A small batch (one image's beams, a few images) stays with OpenBLAS: its
 * products are short, and the tiles run slowly until the JIT has compiled them, which cost captioning
 * one image with beams 0.3 s. Once the weight is packed, the panels serve every product, on every
 * core, a decoding's one or two new words too.
 */
final class PackedGemm {
    /** A batch of fewer rows than this leaves the weight to OpenBLAS. */
    static final int MIN_PACKING_ROWS = 16;
    private static final int TILE_ROWS = 4;

    private PackedGemm() {
    }

    static void gemm(int m, CpuTensor a, int lda, PackedWeight w, float beta, CpuTensor c, int ldc) {
        if (m == 0 || w.n == 0) return;
        if (!w.packed() && !w.forLargeBatch && m < MIN_PACKING_ROWS) {
            Blas.gemm(false, !w.transposed, m, w.n, w.k, 1f, a, lda, w.source, w.ld, beta, c, ldc);
            return;
        }
        float[] panels = w.panels();
        int k = w.k, count = (w.n + PANEL - 1) / PANEL;
        // A's rows on the heap too: the tiles read each of its elements once per panel.
        float[] rows = new float[m * k];
        for (int i = 0; i < m; i++) a.get(i * lda, rows, i * k, k);
        Parallel.forEach(count, (long) m * k * PANEL, (chunk, from, to) -> {
            float[] tile = new float[TILE_ROWS * PANEL];
            for (int j = from; j < to; j++) {
                int base = j * k * PANEL, col = j * PANEL, cols = Math.min(PANEL, w.n - col);
                int i = 0;
                for (; i + TILE_ROWS <= m; i += TILE_ROWS) {
                    fourRows(k, rows, i * k, panels, base, tile);
                    store(tile, TILE_ROWS, cols, beta, c, i * ldc + col, ldc);
                }
                for (; i < m; i++) {
                    oneRow(k, rows, i * k, panels, base, tile);
                    store(tile, 1, cols, beta, c, i * ldc + col, ldc);
                }
            }
        });
    }

    /** {@code tile[r·PANEL + v] = Σ_p a[a0 + r·k + p]·panel[p, v]} for four rows of A. */
    private static void fourRows(int k, float[] a, int a0, float[] panels, int base, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < k; p++) {
            int at = base + p * PANEL;
            FloatVector w0 = FloatVector.fromArray(S, panels, at), w1 = FloatVector.fromArray(S, panels, at + L);
            FloatVector w2 = FloatVector.fromArray(S, panels, at + 2 * L), w3 = FloatVector.fromArray(S, panels, at + 3 * L);
            FloatVector x = Vec.splat(a[a0 + p]);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            c02 = x.fma(w2, c02);
            c03 = x.fma(w3, c03);
            x = Vec.splat(a[a0 + k + p]);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            c12 = x.fma(w2, c12);
            c13 = x.fma(w3, c13);
            x = Vec.splat(a[a0 + 2 * k + p]);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            c22 = x.fma(w2, c22);
            c23 = x.fma(w3, c23);
            x = Vec.splat(a[a0 + 3 * k + p]);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            c32 = x.fma(w2, c32);
            c33 = x.fma(w3, c33);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, PANEL);
        c11.intoArray(tile, PANEL + L);
        c12.intoArray(tile, PANEL + 2 * L);
        c13.intoArray(tile, PANEL + 3 * L);
        c20.intoArray(tile, 2 * PANEL);
        c21.intoArray(tile, 2 * PANEL + L);
        c22.intoArray(tile, 2 * PANEL + 2 * L);
        c23.intoArray(tile, 2 * PANEL + 3 * L);
        c30.intoArray(tile, 3 * PANEL);
        c31.intoArray(tile, 3 * PANEL + L);
        c32.intoArray(tile, 3 * PANEL + 2 * L);
        c33.intoArray(tile, 3 * PANEL + 3 * L);
    }

    /** {@link #fourRows} for the rows left over. */
    private static void oneRow(int k, float[] a, int a0, float[] panels, int base, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            int at = base + p * PANEL;
            FloatVector x = Vec.splat(a[a0 + p]);
            c0 = x.fma(FloatVector.fromArray(S, panels, at), c0);
            c1 = x.fma(FloatVector.fromArray(S, panels, at + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, panels, at + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, panels, at + 3 * L), c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
    }

    /** {@code C[c0 + r·ldc + v] = tile[r·PANEL + v] + beta·C[…]} for {@code cols} columns; C is not read when beta is 0. */
    private static void store(float[] tile, int rows, int cols, float beta, CpuTensor c, int c0, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ci = c0 + r * ldc, ti = r * PANEL, v = 0;
            if (cols == PANEL) {
                for (; v < PANEL; v += L) {
                    FloatVector x = FloatVector.fromArray(S, tile, ti + v);
                    if (beta != 0f) x = Vec.load(c, ci + v).fma(Vec.splat(beta), x);
                    Vec.store(x, c, ci + v);
                }
            }
            for (; v < cols; v++) c.set(ci + v, beta == 0f ? tile[ti + v] : beta * c.get(ci + v) + tile[ti + v]);
        }
    }
}
