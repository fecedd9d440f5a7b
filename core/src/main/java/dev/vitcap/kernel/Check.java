package dev.vitcap.kernel;

/**
 * One comparison against an oracle: the largest absolute difference and the tolerance it had to meet.
 * Outputs meet {@code 1e-4·max(1, |largest expected|)}, gradients {@code 1e-3·|largest expected|},
 * integers exactly (the project's numerics standard). A gradient whose largest magnitude is under
 * {@link #GRADIENT_FLOOR} is float32 rounding noise of an O(1) loss (the attention bias's, which is
 * exactly zero in real arithmetic) and is held to that floor instead: {@code 1e-7}, about one rounding
 * step of the O(1) terms summed into it (a padded batch's masked steps leave noise of that size).
 */
public record Check(String name, double error, double tolerance) {
    public static final double OUTPUT = 1e-4, GRADIENT = 1e-3, GRADIENT_FLOOR = 1e-4;

    public boolean passed() {
        return error <= tolerance; // NaN fails
    }

    /** The error as a fraction of the tolerance (0 for an exact match, infinite for a miss of an exact check). */
    public double ratio() {
        if (error == 0) return 0;
        return tolerance == 0 || Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / tolerance;
    }

    /** Compares as an output: absolute, scaled up only for values beyond 1. */
    public static Check output(String name, float[] expected, float[] actual) {
        return new Check(name, maxDiff(expected, actual), OUTPUT * Math.max(1, maxAbs(expected)));
    }

    /** Compares as a gradient: relative to the largest magnitude of the expected tensor. */
    public static Check gradient(String name, float[] expected, float[] actual) {
        return new Check(name, maxDiff(expected, actual), GRADIENT * Math.max(GRADIENT_FLOOR, maxAbs(expected)));
    }

    public static Check exact(String name, int[] expected, int[] actual) {
        int bad = expected.length == actual.length ? 0 : 1;
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) if (expected[i] != actual[i]) bad++;
        return new Check(name, bad, 0);
    }

    /** The largest absolute difference, infinite for different lengths, NaN where either holds one. */
    public static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= m)) m = d; // keeps NaN
        }
        return m;
    }

    public static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Override
    public String toString() {
        return String.format("%-28s %s  error %.2e (tolerance %.1e)", name, passed() ? "ok  " : "FAIL", error, tolerance);
    }
}
