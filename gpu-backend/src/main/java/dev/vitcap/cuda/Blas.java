package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.cuda.global.cublas.CUBLAS_GEMM_DEFAULT;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasGemmEx;
import static org.bytedeco.cuda.global.cublas.cublasGemmStridedBatchedEx;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusString;
import static org.bytedeco.cuda.global.cublas.cublasSetMathMode;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cudart.CUDA_R_32F;

/**
 * Row-major products through column-major cuBLAS: a row-major {@code C = op(A)·op(B)} is the
 * column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, and a row-major matrix read column-major is its transpose,
 * so the call swaps the operands (and m with n) and keeps each operand's own transpose flag.
 *
 * <p>{@code cublasGemmEx} with float32 data and {@code CUBLAS_COMPUTE_32F} runs the kernels of
 * {@code cublasSgemm}; the Ex forms also take the TF32 and BF16 compute types, so one call serves
 * every {@link Precision}.
 */
final class Blas implements AutoCloseable {
    private final cublasContext handle = new cublasContext();
    private final FloatPointer alpha = new FloatPointer(1), beta = new FloatPointer(1);
    private final int computeType;

    Blas(CUstream_st stream, Precision precision) {
        check(cublasCreate_v2(handle), "cublasCreate");
        check(cublasSetStream_v2(handle, stream), "cublasSetStream");
        check(cublasSetMathMode(handle, precision.blasMathMode), "cublasSetMathMode");
        computeType = precision.blasCompute;
    }

    static void check(int status, String call) {
        if (status != 0) throw new BackendException(call + " failed: " + cublasGetStatusString(status).getString());
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float a, DeviceTensor A, int lda,
              DeviceTensor B, int ldb, float b, DeviceTensor C, int ldc) {
        alpha.put(0, a);
        beta.put(0, b);
        check(cublasGemmEx(handle, op(transB), op(transA), n, m, k, alpha, Cuda.at(B), CUDA_R_32F, ldb,
                Cuda.at(A), CUDA_R_32F, lda, beta, Cuda.at(C), CUDA_R_32F, ldc, computeType, CUBLAS_GEMM_DEFAULT), "cublasGemmEx");
    }

    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float a, DeviceTensor A, int lda, long strideA,
                     DeviceTensor B, int ldb, long strideB, float b, DeviceTensor C, int ldc, long strideC, int batch) {
        alpha.put(0, a);
        beta.put(0, b);
        check(cublasGemmStridedBatchedEx(handle, op(transB), op(transA), n, m, k, alpha, Cuda.at(B), CUDA_R_32F, ldb, strideB,
                Cuda.at(A), CUDA_R_32F, lda, strideA, beta, Cuda.at(C), CUDA_R_32F, ldc, strideC, batch,
                computeType, CUBLAS_GEMM_DEFAULT), "cublasGemmStridedBatchedEx");
    }

    private static int op(boolean transpose) {
        return transpose ? CUBLAS_OP_T : CUBLAS_OP_N;
    }

    @Override
    public void close() {
        if (!handle.isNull()) cublasDestroy_v2(handle);
    }
}
