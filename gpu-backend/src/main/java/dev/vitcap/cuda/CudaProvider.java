package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendProvider;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Probe;

/**
 * Finds the {@code cuda} backend: ranked above the CPU backends, usable where {@link CudaSystem} finds
 * an NVIDIA driver, the CUDA 13 runtime and cuBLAS, and a GPU of compute capability 8.0 or more.
 * {@link #open()} takes its options from the system properties ({@link CudaOptions#fromSystemProperties()}).
 */
public final class CudaProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Probe probe() {
        return CudaSystem.get().probe();
    }

    @Override
    public Kernels open() {
        return new CudaKernels(CudaOptions.fromSystemProperties());
    }

    /** Prints the probe's verdict in one line (device-check.sh); the exit status is 1 when unusable. */
    public static void main(String[] args) {
        Probe p = new CudaProvider().probe();
        System.out.println("cuda " + (p.usable() ? "usable: " : "unusable: ") + p.detail());
        System.exit(p.usable() ? 0 : 1);
    }
}
