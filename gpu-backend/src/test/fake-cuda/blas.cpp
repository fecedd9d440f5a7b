// A fake libcublas.so.13: column-major products as cuBLAS defines them, in plain loops, with its
// checks of the leading dimensions.
extern "C" {
int cublasCreate_v2(void** h) { static int handle; *h = &handle; return 0; }
int cublasDestroy_v2(void*) { return 0; }
int cublasSetStream_v2(void*, void*) { return 0; }
int cublasSetMathMode(void*, int) { return 0; }
int cublasGetProperty(int kind, int* v) { *v = kind == 0 ? 13 : kind == 1 ? 1 : 0; return 0; }
const char* cublasGetStatusString(int) { return "fake cuBLAS status"; }

static int gemm(int ta, int tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7; // CUBLAS_STATUS_INVALID_VALUE
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            double acc = 0;
            for (int l = 0; l < k; l++) {
                acc += (double)(ta ? A[l + (long)i * lda] : A[i + (long)l * lda]) * (tb ? B[j + (long)l * ldb] : B[l + (long)j * ldb]);
            }
            float* c = C + i + (long)j * ldc;
            *c = (float)(alpha * acc + (beta == 0 ? 0.0 : beta * (double)*c));
        }
    }
    return 0;
}

int cublasGemmEx(void*, int ta, int tb, int m, int n, int k, const void* alpha, const void* A, int, int lda, const void* B, int, int ldb,
                 const void* beta, void* C, int, int ldc, int, int) {
    return gemm(ta, tb, m, n, k, *(const float*)alpha, (const float*)A, lda, (const float*)B, ldb, *(const float*)beta, (float*)C, ldc);
}

int cublasGemmStridedBatchedEx(void*, int ta, int tb, int m, int n, int k, const void* alpha, const void* A, int, int lda, long long sa,
                               const void* B, int, int ldb, long long sb, const void* beta, void* C, int, int ldc, long long sc,
                               int batch, int, int) {
    for (int p = 0; p < batch; p++) {
        int status = gemm(ta, tb, m, n, k, *(const float*)alpha, (const float*)A + p * sa, lda, (const float*)B + p * sb, ldb,
                          *(const float*)beta, (float*)C + p * sc, ldc);
        if (status) return status;
    }
    return 0;
}
}
