package dev.vitcap.cpu;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.presets.openblas_nolapack;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

/**
 * Matrix products by the OpenBLAS that ND4J's native backend runs on, called directly on the
 * tensors' memory (ND4J's own {@code gemm} wraps each operand in an INDArray and checks its order,
 * which costs more than the product itself at the decoder's per-step sizes, and needs ND4J started).
 *
 * <p>Who owns the cores: OpenBLAS runs single-threaded and vitcap splits each large product into one
 * band of rows (or columns, for the decoder's short wide products) per core on its own threads, the
 * same pool the element-wise kernels use. OpenBLAS's own threads spin while they wait for work, so two
 * thread pools on two cores fight, badly so on a busy machine; with one pool a 1024³ product still
 * reaches the same ~290 GFLOP/s as OpenBLAS's threading (`vitcap doctor` prints it).
 */
final class Blas {
    static {
        openblas_nolapack.blas_set_num_threads(1);
    }

    /** Below this many multiply-adds a product is not worth a hand-off to another thread. */
    private static final long SPLIT_WORK = 1L << 20;

    private Blas() {
    }

    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                     CpuTensor a, int lda, CpuTensor b, int ldb, float beta, CpuTensor c, int ldc) {
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        boolean byRows = m >= n;
        int span = byRows ? m : n;
        if (work < SPLIT_WORK || Parallel.chunks(span, Long.MAX_VALUE / span) == 1) {
            call(ta, tb, m, n, k, alpha, a.pointer(0), lda, b.pointer(0), ldb, beta, c.pointer(0), ldc);
            return;
        }
        Parallel.forEach(span, Long.MAX_VALUE / span, (chunk, from, to) -> {
            if (byRows) {
                // Rows from..to of C come from rows from..to of op(A).
                call(ta, tb, to - from, n, k, alpha, a.pointer(ta ? from : (long) from * lda), lda, b.pointer(0), ldb,
                        beta, c.pointer((long) from * ldc), ldc);
            } else {
                // Columns from..to of C come from columns from..to of op(B).
                call(ta, tb, m, to - from, k, alpha, a.pointer(0), lda, b.pointer(tb ? (long) from * ldb : from), ldb,
                        beta, c.pointer(from), ldc);
            }
        });
    }

    static void gemmBatched(boolean ta, boolean tb, int m, int n, int k, float alpha,
                            CpuTensor a, int lda, long strideA, CpuTensor b, int ldb, long strideB,
                            float beta, CpuTensor c, int ldc, long strideC, int batch) {
        long work = (long) m * n * k;
        Parallel.forEach(batch, Math.max(1, work / 32), (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                call(ta, tb, m, n, k, alpha, a.pointer(i * strideA), lda, b.pointer(i * strideB), ldb, beta, c.pointer(i * strideC), ldc);
            }
        });
    }

    private static void call(boolean ta, boolean tb, int m, int n, int k, float alpha,
                             FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (m == 1) {
            // One row (a single image's decoding step, a decoding's first word): sgemm would pack all of B
            // for it, which costs twenty times the product; c = alpha·op(B)ᵀ·a + beta·c is a gemv.
            cblas_sgemv(CblasRowMajor, tb ? CblasNoTrans : CblasTrans, tb ? n : k, tb ? k : n, alpha, b, Math.max(1, ldb),
                    a, ta ? Math.max(1, lda) : 1, beta, c, 1);
            return;
        }
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, a, Math.max(1, lda), b, Math.max(1, ldb), beta, c, Math.max(1, ldc));
    }
}
