package dev.vitcap.app;

import dev.vitcap.kernel.Backends;
import picocli.CommandLine.Option;

/** {@code --backend NAME}: forces a backend (else the system property vitcap.backend, else VITCAP_BACKEND, else the best usable). */
final class BackendOption {
    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on: cpu, cuda or reference (default: the fastest usable).")
    String name;

    Backends.Selection select() {
        return Backends.select(name);
    }
}
