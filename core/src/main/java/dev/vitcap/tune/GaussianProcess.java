package dev.vitcap.tune;

import java.util.List;

/**
 * Gaussian-process regression on the unit cube: the surrogate model of {@link BayesianSearch}. A Matérn 5/2
 * kernel with one length scale and signal variance 1 on standardised targets, plus a noise variance; the
 * two are chosen together by the largest log marginal likelihood over a small fixed grid, which is robust
 * with the few points a search has and needs no gradient optimiser.
 * <p>
 * Written by hand, in a page: Smile, the maintained Java library with GP regression, is GPL since version 3
 * and has no acquisition functions, and Apache Commons Math has no GP at all.
 */
public final class GaussianProcess {
    /** Length scales tried: 0.05 to 2, log-spaced. */
    private static final double[] LENGTH_SCALES = logSpaced(0.05, 2, 12);
    /** Noise variances tried, on the standardised scale; the smallest keeps the factorisation stable. */
    private static final double[] NOISES = {1e-6, 1e-3, 1e-2, 1e-1};
    private static final double SQRT5 = Math.sqrt(5);

    private final List<double[]> xs;
    private final double[][] lower;
    private final double[] alpha;
    private final double yMean, yScale, lengthScale;

    private GaussianProcess(List<double[]> xs, double[][] lower, double[] alpha, double yMean, double yScale, double lengthScale) {
        this.xs = xs;
        this.lower = lower;
        this.alpha = alpha;
        this.yMean = yMean;
        this.yScale = yScale;
        this.lengthScale = lengthScale;
    }

    /** The GP through {@code ys} observed at {@code xs}, with the length scale and noise the data make most likely. */
    public static GaussianProcess fit(List<double[]> xs, double[] ys) {
        if (xs.isEmpty() || xs.size() != ys.length) throw new IllegalArgumentException(xs.size() + " points and " + ys.length + " values");
        double mean = 0, variance = 0;
        for (double y : ys) {
            if (!Double.isFinite(y)) throw new IllegalArgumentException("a value that is not a finite number: " + y);
            mean += y / ys.length;
        }
        for (double y : ys) variance += (y - mean) * (y - mean) / ys.length;
        double scale = variance > 0 ? Math.sqrt(variance) : 1;
        double[] z = new double[ys.length];
        for (int i = 0; i < z.length; i++) z[i] = (ys[i] - mean) / scale;

        List<double[]> points = List.copyOf(xs);
        GaussianProcess best = null;
        double bestLikelihood = Double.NEGATIVE_INFINITY;
        for (double l : LENGTH_SCALES) {
            for (double noise : NOISES) {
                double[][] lower = factorWithJitter(covariance(points, l, noise));
                if (lower == null) continue;
                double[] alpha = solve(lower, z);
                // log p(z) = -z'K⁻¹z/2 - log|K|/2 - n log(2π)/2; the last term is the same for every candidate.
                double likelihood = -0.5 * dot(z, alpha);
                for (int i = 0; i < z.length; i++) likelihood -= Math.log(lower[i][i]);
                if (likelihood > bestLikelihood) {
                    bestLikelihood = likelihood;
                    best = new GaussianProcess(points, lower, alpha, mean, scale, l);
                }
            }
        }
        if (best == null) throw new IllegalStateException("no covariance matrix of the grid could be factorised");
        return best;
    }

    /** {mean, variance} of the function at {@code x}, in the units of the values fitted (the variance without noise). */
    public double[] predict(double[] x) {
        double[] k = new double[xs.size()];
        for (int i = 0; i < k.length; i++) k[i] = kernel(xs.get(i), x, lengthScale);
        double[] v = forward(lower, k);
        double variance = Math.max(0, 1 - dot(v, v));
        return new double[]{yMean + yScale * dot(k, alpha), yScale * yScale * variance};
    }

    /** The chosen length scale, in units of the unit cube. */
    public double lengthScale() {
        return lengthScale;
    }

    private static double kernel(double[] a, double[] b, double lengthScale) {
        double squared = 0;
        for (int i = 0; i < a.length; i++) squared += (a[i] - b[i]) * (a[i] - b[i]);
        double r = SQRT5 * Math.sqrt(squared) / lengthScale;
        return (1 + r + r * r / 3) * Math.exp(-r);
    }

    private static double[][] covariance(List<double[]> xs, double lengthScale, double noise) {
        int n = xs.size();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) k[i][j] = k[j][i] = kernel(xs.get(i), xs.get(j), lengthScale);
            k[i][i] += noise;
        }
        return k;
    }

    /** The Cholesky factor of {@code a}, retried with growing jitter on the diagonal; null if even that fails. */
    private static double[][] factorWithJitter(double[][] a) {
        for (double jitter = 0; jitter <= 1e-4; jitter = jitter == 0 ? 1e-10 : jitter * 100) {
            double[][] shifted = new double[a.length][];
            for (int i = 0; i < a.length; i++) {
                shifted[i] = a[i].clone();
                shifted[i][i] += jitter;
            }
            double[][] lower = cholesky(shifted);
            if (lower != null) return lower;
        }
        return null;
    }

    /** The lower-triangular L with L L' = {@code a}, or null if {@code a} is not positive definite in floating point. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(sum > 0)) return null;
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    /** x with L L' x = b, for the Cholesky factor L. */
    static double[] solve(double[][] lower, double[] b) {
        double[] y = forward(lower, b);
        int n = y.length;
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) sum -= lower[k][i] * x[k];
            x[i] = sum / lower[i][i];
        }
        return x;
    }

    /** y with L y = b. */
    private static double[] forward(double[][] lower, double[] b) {
        double[] y = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= lower[i][k] * y[k];
            y[i] = sum / lower[i][i];
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double[] logSpaced(double from, double to, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) values[i] = from * Math.pow(to / from, i / (count - 1.0));
        return values;
    }
}
