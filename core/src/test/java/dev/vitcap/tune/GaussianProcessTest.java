package dev.vitcap.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianProcessTest {
    static double smooth(double[] x) {
        return Math.sin(3 * x[0]) + Math.cos(2 * x[1]);
    }

    @Test
    void interpolatesItsTrainingPoints() {
        Random rng = new Random(11);
        List<double[]> xs = new ArrayList<>();
        double[] ys = new double[10];
        for (int i = 0; i < ys.length; i++) {
            xs.add(new double[]{rng.nextDouble(), rng.nextDouble()});
            ys[i] = 5 + 3 * smooth(xs.get(i));
        }
        GaussianProcess gp = GaussianProcess.fit(xs, ys);
        for (int i = 0; i < ys.length; i++) {
            double[] p = gp.predict(xs.get(i));
            assertEquals(ys[i], p[0], 1e-3);
            assertTrue(p[1] >= 0 && p[1] < 1e-4, () -> "variance " + p[1]);
        }
        assertTrue(gp.lengthScale() >= 0.05 && gp.lengthScale() <= 2, () -> "length scale " + gp.lengthScale());
    }

    @Test
    void varianceGrowsAwayFromTheData() {
        List<double[]> xs = List.of(new double[]{0.1, 0.1}, new double[]{0.2, 0.3}, new double[]{0.3, 0.1}, new double[]{0.25, 0.2});
        double[] ys = xs.stream().mapToDouble(GaussianProcessTest::smooth).toArray();
        GaussianProcess gp = GaussianProcess.fit(xs, ys);
        double near = gp.predict(new double[]{0.2, 0.2})[1];
        double middle = gp.predict(new double[]{0.5, 0.5})[1];
        double far = gp.predict(new double[]{0.95, 0.95})[1];
        assertTrue(near < middle && middle < far, near + " < " + middle + " < " + far);
    }

    @Test
    void aSinglePointIsItsOwnMean() {
        GaussianProcess gp = GaussianProcess.fit(List.<double[]>of(new double[]{0.5}), new double[]{2});
        assertEquals(2, gp.predict(new double[]{0.5})[0], 1e-12);
        assertEquals(2, gp.predict(new double[]{0.0})[0], 1e-12);
        assertTrue(gp.predict(new double[]{0.5})[1] < gp.predict(new double[]{0.0})[1]);
    }

    @Test
    void choleskySolveAgreesWithGaussianElimination() {
        double[][] a = {{4, 1, 0.5, 0.2}, {1, 3, 0.3, 0.1}, {0.5, 0.3, 2, 0.4}, {0.2, 0.1, 0.4, 1.5}};
        double[] b = {1, -2, 0.5, 3};
        double[][] lower = GaussianProcess.cholesky(a);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += lower[i][k] * lower[j][k];
                assertEquals(a[i][j], sum, 1e-12);
            }
        }
        assertArrayEquals(gaussianElimination(a, b), GaussianProcess.solve(lower, b), 1e-12);
        assertEquals(null, GaussianProcess.cholesky(new double[][]{{1, 2}, {2, 1}}));
    }

    /** The textbook method, with partial pivoting, as a reference. */
    private static double[] gaussianElimination(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = java.util.Arrays.copyOf(matrix[i], n + 1);
            a[i][n] = rhs[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= n; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = a[i][n];
            for (int c = i + 1; c < n; c++) sum -= a[i][c] * x[c];
            x[i] = sum / a[i][i];
        }
        return x;
    }
}
