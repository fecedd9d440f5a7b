package dev.vitcap.kernel;

/**
 * The error function in double precision, which {@link Math} lacks: the Maclaurin series where it
 * converges without cancellation (|x| ≤ 3) and Lentz's continued fraction for erfc beyond.
 */
public final class Erf {
    private Erf() {
    }

    public static double erf(double x) {
        double a = Math.abs(x);
        double r = a <= 3 ? series(a) : 1 - erfcContinuedFraction(a);
        return Math.copySign(r, x);
    }

    private static double series(double x) {
        // erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1))
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static double erfcContinuedFraction(double x) {
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), by modified Lentz.
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
