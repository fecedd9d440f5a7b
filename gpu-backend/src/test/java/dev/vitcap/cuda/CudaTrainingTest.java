package dev.vitcap.cuda;

import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.DecoderConfig;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on the GPU follows training on the reference backend step by step, and allocates only at first. */
@EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
class CudaTrainingTest {
    private static final int STEPS = 6;

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void lossCurvesMatchTheReference(DecoderConfig.Kind kind) {
        double[] expected = TinyTraining.lossCurve(new ReferenceKernels(), kind, STEPS, step -> { });
        long[] allocations = new long[STEPS + 1];
        double[] actual;
        try (CudaKernels k = new CudaKernels(CudaOptions.fromSystemProperties().withPrecision(Precision.FP32))) {
            actual = TinyTraining.lossCurve(k, kind, STEPS, step -> allocations[step] = k.deviceAllocations());
        }
        String curves = "reference " + Arrays.toString(expected) + "\ncuda      " + Arrays.toString(actual);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(expected[s], actual[s], 1e-3 * Math.abs(expected[s]), "step " + (s + 1) + "\n" + curves);
        }
        assertTrue(expected[STEPS - 1] < expected[0], "the loss fell\n" + curves);
        assertEquals(allocations[2], allocations[STEPS], "device allocations after step 2 vs the last: "
                + Arrays.toString(allocations));
    }
}
