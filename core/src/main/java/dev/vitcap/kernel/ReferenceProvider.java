package dev.vitcap.kernel;

/** Finds {@link ReferenceKernels}: always usable, ranked last. */
public final class ReferenceProvider implements BackendProvider {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Probe probe() {
        return Probe.usable("plain Java loops, the oracle (slow)");
    }

    @Override
    public Kernels open() {
        return new ReferenceKernels();
    }
}
