package dev.vitcap.kernel;

/**
 * The random numbers of {@link Kernels#dropout}: a counter-based generator (SplitMix64's finaliser over
 * {@code seed} and the element index), so every backend, in any order and on any number of threads,
 * draws the same mask and the backends can be tested against each other in training mode too.
 */
public final class DropoutHash {
    private DropoutHash() {
    }

    /** A uniform float in [0, 1) with 24 random bits. */
    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
