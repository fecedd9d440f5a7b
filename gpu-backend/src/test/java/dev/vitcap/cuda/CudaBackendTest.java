package dev.vitcap.cuda;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.KernelConformance;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every kernel against the reference, and the reference fixtures, on the GPU (float32 products, cuDNN where present). */
@EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
class CudaBackendTest extends KernelConformance {
    @Override
    protected Kernels open() {
        return new CudaKernels(CudaOptions.fromSystemProperties().withPrecision(Precision.FP32).withCudnn(true));
    }

    @Test
    void theSequenceRunsOnCudnnWhenItIsThere() {
        assumeTrue(CudaSystem.get().cudnn(), "no cuDNN: " + CudaSystem.get().cudnnProblem());
        CudaKernels k = (CudaKernels) kernels();
        assertTrue(k.usesCudnn());
        int steps = 3, batch = 2, in = 5, hid = 4;
        try (Tensor w = k.zeros(DType.F32, 4 * hid, in); Tensor u = k.zeros(DType.F32, 4 * hid, hid); Tensor b = k.zeros(DType.F32, 4 * hid);
             Tensor x = k.zeros(DType.F32, steps * batch, in); Tensor h = k.zeros(DType.F32, 1, batch, hid);
             Tensor y = k.empty(DType.F32, steps * batch, hid); Tensor hN = k.empty(DType.F32, 1, batch, hid);
             Tensor cN = k.empty(DType.F32, 1, batch, hid)) {
            LstmSequence.Layer layer = new LstmSequence.Layer(in, hid, w, u, b, b, w, u, b, b);
            try (LstmSequence.Saved saved = k.lstmForward(List.of(layer), steps, batch, x, h, h, y, hN, cN)) {
                assertTrue(CudnnLstm.owns(saved), "the composed default ran instead of cuDNN");
            }
        }
    }

    @Test
    void freedMemoryIsReusedWithoutAllocating() {
        CudaKernels k = (CudaKernels) kernels();
        long afterFirst = 0;
        for (int i = 0; i < 10; i++) {
            try (Tensor t = k.empty(DType.F32, 1000, 37); Tensor v = k.empty(DType.I32, 1000, 37)) {
                k.fill(t, i);
            }
            if (i == 0) afterFirst = k.deviceAllocations();
        }
        assertEquals(afterFirst, k.deviceAllocations(), "released blocks are handed out again");
    }
}
