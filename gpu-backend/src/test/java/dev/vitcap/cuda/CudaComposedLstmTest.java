package dev.vitcap.cuda;

import dev.vitcap.kernel.KernelConformance;
import dev.vitcap.kernel.Kernels;
import org.junit.jupiter.api.condition.EnabledIf;

/** The same checks with cuDNN switched off: the whole-sequence LSTM as cuBLAS products and fused cells. */
@EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
class CudaComposedLstmTest extends KernelConformance {
    @Override
    protected Kernels open() {
        return new CudaKernels(CudaOptions.fromSystemProperties().withPrecision(Precision.FP32).withCudnn(false));
    }
}
