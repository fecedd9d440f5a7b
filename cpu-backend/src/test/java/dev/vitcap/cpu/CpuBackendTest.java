package dev.vitcap.cpu;

import dev.vitcap.kernel.KernelConformance;
import dev.vitcap.kernel.Kernels;

/** The cpu backend against the reference on every kernel, and on the reference fixtures. */
class CpuBackendTest extends KernelConformance {
    @Override
    protected Kernels open() {
        return new CpuKernels();
    }
}
