package dev.vitcap.kernel;

/**
 * A backend as found through {@link java.util.ServiceLoader}: a name, a rank (higher is preferred
 * when several are usable) and a probe. Listed in {@code META-INF/services/dev.vitcap.kernel.BackendProvider}.
 */
public interface BackendProvider {
    String name();

    int rank();

    /** Never throws: everything that can go wrong is the reason of an unusable probe. Called once per process. */
    Probe probe();

    /** Opens the backend; only called after a usable probe. */
    Kernels open();
}
