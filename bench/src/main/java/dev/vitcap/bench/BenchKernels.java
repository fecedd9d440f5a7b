package dev.vitcap.bench;

import dev.vitcap.kernel.BackendException;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;

/** Opens a backend by name for a benchmark, or fails the benchmark with the probe's reason. */
final class BenchKernels {
    private BenchKernels() {
    }

    static Kernels open(String name) {
        Backends.Candidate c = Backends.candidates().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new BackendException("no backend '" + name + "' on the class path"));
        if (!c.probe().usable()) throw new BackendException("backend '" + name + "' is unusable: " + c.probe().detail());
        return c.provider().open();
    }
}
