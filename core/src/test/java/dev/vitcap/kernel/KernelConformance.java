package dev.vitcap.kernel;

import org.junit.jupiter.api.Test;

/** Every kernel of a backend beside the reference backend, on random shapes: extended by each non-reference backend. */
public abstract class KernelConformance extends BackendContract {
    @Test
    void everyKernelAgreesWithTheReference() {
        assertAllPass(SelfTest.run(kernels(), 20261126L, 4));
    }
}
