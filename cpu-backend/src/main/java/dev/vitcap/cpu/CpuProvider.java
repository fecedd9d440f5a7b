package dev.vitcap.cpu;

import dev.vitcap.kernel.BackendProvider;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Probe;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import static org.bytedeco.openblas.global.openblas_nolapack.OPENBLAS_VERSION;

/**
 * Finds the {@code cpu} backend: usable where the OpenBLAS of ND4J's native stack loads (JavaCPP's
 * presets; the natives are per platform) and the Vector API is present ({@code --add-modules
 * jdk.incubator.vector}). ND4J itself is never started: the backend needs its BLAS and native memory,
 * not its runtime, whose start-up alone took a third of a second.
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
        if (Parallel.THREADS == 0) {
            return Probe.unusable("-D" + Parallel.THREADS_PROPERTY + "=" + System.getProperty(Parallel.THREADS_PROPERTY)
                    + ": the number of threads must be a whole number of at least 1");
        }
        try {
            Loader.load(openblas_nolapack.class);
        } catch (Throwable t) { // natives missing for this platform, or a broken install
            return Probe.unusable("OpenBLAS's natives did not load: " + t);
        }
        return Probe.usable(OPENBLAS_VERSION.trim() + ", Vector API "
                + Vec.S.vectorBitSize() + "-bit, " + Parallel.THREADS + " threads");
    }

    @Override
    public Kernels open() {
        JitDirectives.install();
        return new CpuKernels();
    }
}
