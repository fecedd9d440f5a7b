package dev.vitcap.cuda;

/**
 * How a {@link CudaKernels} runs.
 *
 * @param precision      the matrix products' arithmetic
 * @param cudnn          whether the whole-sequence LSTM may use cuDNN (else gemm + fused cell per step)
 * @param syncEachLaunch wait for every kernel and check its status: slow, but a fault names its kernel
 */
public record CudaOptions(Precision precision, boolean cudnn, boolean syncEachLaunch) {
    public static final String CUDNN_PROPERTY = "vitcap.cuda.cudnn", SYNC_PROPERTY = "vitcap.cuda.sync";

    public static CudaOptions defaults() {
        return new CudaOptions(Precision.FP32, true, false);
    }

    /** From {@code -Dvitcap.cuda.precision=fp32|tf32|bf16}, {@code -Dvitcap.cuda.cudnn=false}, {@code -Dvitcap.cuda.sync=true}. */
    public static CudaOptions fromSystemProperties() {
        return new CudaOptions(Precision.parse(System.getProperty(Precision.PROPERTY, "fp32")),
                !"false".equalsIgnoreCase(System.getProperty(CUDNN_PROPERTY, "true").trim()),
                "true".equalsIgnoreCase(System.getProperty(SYNC_PROPERTY, "false").trim()));
    }

    public CudaOptions withPrecision(Precision p) {
        return new CudaOptions(p, cudnn, syncEachLaunch);
    }

    public CudaOptions withCudnn(boolean use) {
        return new CudaOptions(precision, use, syncEachLaunch);
    }
}
