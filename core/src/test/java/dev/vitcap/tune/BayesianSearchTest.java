package dev.vitcap.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BayesianSearchTest {
    @Test
    void normalCdfIsAccurate() {
        assertEquals(0.5, BayesianSearch.normalCdf(0), 1e-15);
        assertEquals(0.8413447460685429, BayesianSearch.normalCdf(1), 1e-14);
        assertEquals(0.022750131948179195, BayesianSearch.normalCdf(-2), 1e-14);
        assertEquals(0.9986501019683699, BayesianSearch.normalCdf(3), 1e-14);
        assertEquals(0.0013498980316300946, BayesianSearch.normalCdf(-3), 1e-15);
        // In the tails the error is small beside the value itself.
        assertEquals(2.866515718791939e-07, BayesianSearch.normalCdf(-5), 1e-12 * 2.866515718791939e-07);
        assertEquals(7.61985302416047e-24, BayesianSearch.normalCdf(-10), 1e-12 * 7.61985302416047e-24);
        assertEquals(0.9999997133484281, BayesianSearch.normalCdf(5), 1e-15);
    }

    @Test
    void expectedImprovementFollowsItsDefinition() {
        assertEquals(0, BayesianSearch.expectedImprovement(0.5, 0, 1, 0));
        assertEquals(0.25, BayesianSearch.expectedImprovement(1.5, 0, 1, 0.25), 1e-15);
        assertEquals(1 / Math.sqrt(2 * Math.PI), BayesianSearch.expectedImprovement(1, 1, 1, 0), 1e-15);
        double previous = 0;
        for (double variance : new double[]{0.01, 0.1, 1, 10}) {
            double ei = BayesianSearch.expectedImprovement(0.5, variance, 1, 0.01);
            assertTrue(ei > previous, variance + ": " + ei + " after " + previous);
            previous = ei;
        }
    }

    static double toy(double[] x) {
        return -(x[0] - 0.3) * (x[0] - 0.3) - (x[1] - 0.7) * (x[1] - 0.7);
    }

    /** 3 random points and 15 proposals against 18 random points, over several seeds. */
    @Test
    void findsTheMaximumOfASmoothFunctionFasterThanRandomSearch() {
        int seeds = 8, close = 0;
        double searchRegret = 0, randomRegret = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            Random rng = new Random(seed);
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                double[] x = i < 3 ? new double[]{rng.nextDouble(), rng.nextDouble()}
                        : BayesianSearch.propose(xs, ys.stream().mapToDouble(Double::doubleValue).toArray(), List.of(), 2, rng);
                xs.add(x);
                ys.add(toy(x));
            }
            double best = ys.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            if (best > -1e-4) close++; // within 0.01 of (0.3, 0.7)
            searchRegret -= best / seeds;

            double randomBest = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 18; i++) randomBest = Math.max(randomBest, toy(new double[]{rng.nextDouble(), rng.nextDouble()}));
            randomRegret -= randomBest / seeds;
        }
        assertTrue(close >= seeds - 1, close + " of " + seeds + " searches came within 0.01 of the maximum");
        assertTrue(searchRegret * 10 < randomRegret, "mean regret " + searchRegret + " against random search's " + randomRegret);
    }

    @Test
    void pendingPointsAreNotProposedAgain() {
        List<double[]> xs = List.of(new double[]{0.2, 0.2}, new double[]{0.8, 0.8}, new double[]{0.4, 0.6});
        double[] ys = xs.stream().mapToDouble(BayesianSearchTest::toy).toArray();
        double[] first = BayesianSearch.propose(xs, ys, List.of(), 2, new Random(3));
        double[] second = BayesianSearch.propose(xs, ys, List.of(first), 2, new Random(3));
        double distance = Math.hypot(first[0] - second[0], first[1] - second[1]);
        assertTrue(distance > 0.05, "the second proposal is " + distance + " from the pending first");
    }

    @Test
    void fewerThanTwoObservationsGiveARandomPointInTheCube() {
        double[] x = BayesianSearch.propose(List.of(new double[]{0.5, 0.5, 0.5}), new double[]{1}, List.of(), 3, new Random(9));
        assertEquals(3, x.length);
        for (double c : x) assertTrue(c >= 0 && c <= 1);
    }
}
