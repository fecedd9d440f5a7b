package dev.vitcap.cuda;

import java.util.Locale;

import static org.bytedeco.cuda.global.cublas.CUBLAS_COMPUTE_32F;
import static org.bytedeco.cuda.global.cublas.CUBLAS_COMPUTE_32F_FAST_16BF;
import static org.bytedeco.cuda.global.cublas.CUBLAS_COMPUTE_32F_FAST_TF32;
import static org.bytedeco.cuda.global.cublas.CUBLAS_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cublas.CUBLAS_TF32_TENSOR_OP_MATH;
import static org.bytedeco.cuda.global.cudnn.CUDNN_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH;

/**
 * How the matrix products round. Tensors stay float32 in every mode; only the products' inner
 * arithmetic changes ({@code --precision}, or the system property {@value #PROPERTY}).
 */
public enum Precision {
    /** Plain float32 FMA arithmetic: what the conformance tests hold against the reference. */
    FP32(CUBLAS_COMPUTE_32F, CUBLAS_DEFAULT_MATH, CUDNN_FMA_MATH),
    /** TF32 tensor cores (10-bit mantissa inputs, float32 accumulation), cuBLAS and cuDNN alike. */
    TF32(CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_TF32_TENSOR_OP_MATH, CUDNN_DEFAULT_MATH),
    /**
     * cuBLAS products with inputs rounded to bfloat16 on the tensor cores; cuDNN has no such mode for
     * float32 data, so its LSTM runs as in TF32.
     */
    BF16(CUBLAS_COMPUTE_32F_FAST_16BF, CUBLAS_DEFAULT_MATH, CUDNN_DEFAULT_MATH);

    public static final String PROPERTY = "vitcap.cuda.precision";

    final int blasCompute, blasMathMode, dnnMathType;

    Precision(int blasCompute, int blasMathMode, int dnnMathType) {
        this.blasCompute = blasCompute;
        this.blasMathMode = blasMathMode;
        this.dnnMathType = dnnMathType;
    }

    /** {@code fp32}, {@code tf32} or {@code bf16}, in any case. */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) return p;
        }
        throw new IllegalArgumentException("unknown precision '" + name + "' (fp32, tf32, bf16)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
