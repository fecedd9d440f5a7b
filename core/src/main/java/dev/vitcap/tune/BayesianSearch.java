package dev.vitcap.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Bayesian optimisation on the unit cube, maximising: a {@link GaussianProcess} fitted to the trials so far,
 * and the next point where its expected improvement over the best value is largest. Trials still running
 * count as having scored the mean so far (the "constant liar"), so that parallel workers spread out
 * instead of proposing the same point.
 */
public final class BayesianSearch {
    /** Random points the expected improvement is evaluated at. */
    private static final int CANDIDATES = 2000;
    /** The best candidates refined further, each by a short random local search. */
    private static final int LOCAL_STARTS = 5, LOCAL_STEPS = 20;
    /** The local search's step, a standard deviation in units of the unit cube. */
    private static final double STEP = 0.05;

    private BayesianSearch() {
    }

    /**
     * The point of [0, 1]<sup>{@code dimensions}</sup> to try next, given the values {@code ys} observed at
     * {@code xs} and the points {@code pending} still being tried; a uniform random point while fewer than
     * two values are known.
     */
    public static double[] propose(List<double[]> xs, double[] ys, List<double[]> pending, int dimensions, Random rng) {
        if (xs.size() < 2) return randomPoint(dimensions, rng);
        double mean = Arrays.stream(ys).average().orElseThrow();
        double best = Arrays.stream(ys).max().orElseThrow();
        List<double[]> points = new ArrayList<>(xs);
        points.addAll(pending);
        double[] values = Arrays.copyOf(ys, points.size());
        Arrays.fill(values, ys.length, values.length, mean);
        GaussianProcess gp = GaussianProcess.fit(points, values);
        // No margin (xi = 0): expected improvement already explores where the GP is unsure, and a margin
        // kept the search from closing in on a smooth maximum.
        ToDoubleFunction<double[]> improvement = x -> {
            double[] p = gp.predict(x);
            return expectedImprovement(p[0], p[1], best, 0);
        };

        List<Scored> candidates = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++) candidates.add(Scored.of(randomPoint(dimensions, rng), improvement));
        candidates.sort(Comparator.comparingDouble(Scored::value).reversed());
        Scored chosen = candidates.get(0);
        for (Scored current : candidates.subList(0, LOCAL_STARTS)) {
            for (int step = 0; step < LOCAL_STEPS; step++) {
                double[] x = current.x().clone();
                for (int d = 0; d < x.length; d++) x[d] = Math.max(0, Math.min(1, x[d] + STEP * rng.nextGaussian()));
                Scored nearby = Scored.of(x, improvement);
                if (nearby.value() > current.value()) current = nearby;
            }
            if (current.value() > chosen.value()) chosen = current;
        }
        return chosen.x();
    }

    /**
     * E[max(f - best - xi, 0)] for f normal with {@code mean} and {@code variance}: how much a point is
     * expected to improve on {@code best}, by more than {@code xi}.
     */
    public static double expectedImprovement(double mean, double variance, double best, double xi) {
        double gain = mean - best - xi;
        if (!(variance > 0)) return Math.max(gain, 0);
        double sd = Math.sqrt(variance);
        double z = gain / sd;
        return Math.max(0, gain * normalCdf(z) + sd * normalPdf(z));
    }

    /**
     * Φ(x), the standard normal distribution function, to about 1e-15: Marsaglia's Taylor series (2004) in
     * the middle, and in the tails the continued fraction of Mills' ratio, which keeps the small
     * probabilities accurate relative to their size, as expected improvement far from the best needs.
     */
    static double normalCdf(double x) {
        if (Math.abs(x) < 3) {
            double sum = x, term = x;
            for (int i = 3; Math.abs(term) > 1e-17 * Math.abs(sum); i += 2) {
                term *= x * x / i;
                sum += term;
            }
            return 0.5 + sum * normalPdf(x);
        }
        double t = Math.abs(x), fraction = t;
        for (int k = 200; k >= 1; k--) fraction = t + k / fraction;
        double tail = normalPdf(t) / fraction;
        return x < 0 ? tail : 1 - tail;
    }

    static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    private static double[] randomPoint(int dimensions, Random rng) {
        double[] x = new double[dimensions];
        for (int d = 0; d < dimensions; d++) x[d] = rng.nextDouble();
        return x;
    }

    private record Scored(double[] x, double value) {
        static Scored of(double[] x, ToDoubleFunction<double[]> score) {
            return new Scored(x, score.applyAsDouble(x));
        }
    }
}
