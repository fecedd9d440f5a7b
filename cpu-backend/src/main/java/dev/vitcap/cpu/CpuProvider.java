package dev.vitcap.cpu;

import dev.vitcap.kernel.BackendProvider;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Probe;
import org.nd4j.linalg.factory.Nd4j;

import static org.bytedeco.openblas.global.openblas_nolapack.OPENBLAS_VERSION;

/**
 * Finds the {@code cpu} backend: usable where ND4J's native CPU backend loads (its natives are
 * per platform) and the Vector API is present ({@code --add-modules jdk.incubator.vector}).
 */
public final class CpuProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int rank() {
        return 50;
    }

    @Override
    public Probe probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Probe.unusable("the Vector API is missing: run java with --add-modules jdk.incubator.vector");
        }
        String backend;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
        } catch (Throwable t) { // natives missing for this platform, or a broken install
            return Probe.unusable("ND4J's native CPU backend did not load: " + t);
        }
        return Probe.usable("ND4J " + backend + " with " + OPENBLAS_VERSION.trim() + ", Vector API "
                + Vec.S.vectorBitSize() + "-bit, " + Parallel.THREADS + " threads");
    }

    @Override
    public Kernels open() {
        JitDirectives.install();
        return new CpuKernels();
    }
}
