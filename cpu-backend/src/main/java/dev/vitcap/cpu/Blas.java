package dev.vitcap.cpu;

import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * Matrix products by the OpenBLAS that ND4J's native backend runs on, called directly on the
 * tensors' memory: ND4J's own {@code gemm} wraps each operand in an INDArray and checks its order,
 * which costs more than the product itself at the decoder's per-step sizes.
 */
final class Blas {
    private Blas() {
    }

    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                     CpuTensor a, int lda, CpuTensor b, int ldb, float beta, CpuTensor c, int ldc) {
        gemm(ta, tb, m, n, k, alpha, a.pointer(), lda, b.pointer(), ldb, beta, c.pointer(), ldc);
    }

    private static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                             FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (m == 0 || n == 0) return;
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, a, Math.max(1, lda), b, Math.max(1, ldb), beta, c, Math.max(1, ldc));
    }

    static void gemmBatched(boolean ta, boolean tb, int m, int n, int k, float alpha,
                            CpuTensor a, int lda, long strideA, CpuTensor b, int ldb, long strideB,
                            float beta, CpuTensor c, int ldc, long strideC, int batch) {
        FloatPointer pa = new FloatPointer(a.pointer()), pb = new FloatPointer(b.pointer()), pc = new FloatPointer(c.pointer());
        for (int i = 0; i < batch; i++) {
            pa.position(a.off + i * strideA);
            pb.position(b.off + i * strideB);
            pc.position(c.off + i * strideC);
            gemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
