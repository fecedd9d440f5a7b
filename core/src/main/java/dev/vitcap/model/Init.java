package dev.vitcap.model;

import java.util.Random;

/** How a parameter starts, drawn on the host from a seeded generator so a run is reproducible. */
public sealed interface Init {
    float[] draw(int size, Random rng);

    record Constant(float value) implements Init {
        public float[] draw(int size, Random rng) {
            float[] a = new float[size];
            java.util.Arrays.fill(a, value);
            return a;
        }
    }

    /** Uniform in [-bound, bound]: PyTorch's default for Linear and LSTM weights with bound 1/√fan_in. */
    record Uniform(double bound) implements Init {
        public float[] draw(int size, Random rng) {
            float[] a = new float[size];
            for (int i = 0; i < size; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            return a;
        }
    }

    /** Normal with the given deviation, redrawn outside ±2σ: timm's truncated normal for ViT weights. */
    record TruncNormal(double std) implements Init {
        public float[] draw(int size, Random rng) {
            float[] a = new float[size];
            for (int i = 0; i < size; i++) {
                double v;
                do v = rng.nextGaussian(); while (Math.abs(v) > 2);
                a[i] = (float) (v * std);
            }
            return a;
        }
    }

    /**
     * MAE's two-dimensional sine-cosine position table: for the patch in row r and column c, the first
     * quarter of the width holds sin(c·ωᵢ), the second cos(c·ωᵢ), the third and fourth the same of r,
     * with ωᵢ = 10000^(−i/(dim/4)); the class token's row is zero. {@link VitConfig} holds the width to a
     * multiple of 4.
     */
    record SinCos2d(int rows, int cols, int dim, boolean classToken) implements Init {
        public float[] draw(int size, Random rng) {
            int first = classToken ? 1 : 0, quarter = dim / 4;
            if (size != (first + rows * cols) * dim) throw new IllegalArgumentException("a " + rows + "x" + cols + " table of width " + dim + " has no " + size + " values");
            float[] a = new float[size];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int at = (first + r * cols + c) * dim;
                    for (int i = 0; i < quarter; i++) {
                        double omega = Math.pow(10000, -(double) i / quarter);
                        a[at + i] = (float) Math.sin(c * omega);
                        a[at + quarter + i] = (float) Math.cos(c * omega);
                        a[at + 2 * quarter + i] = (float) Math.sin(r * omega);
                        a[at + 3 * quarter + i] = (float) Math.cos(r * omega);
                    }
                }
            }
            return a;
        }
    }

    static Init zeros() {
        return new Constant(0f);
    }

    static Init ones() {
        return new Constant(1f);
    }

    static Init fanIn(int fanIn) {
        return new Uniform(1 / Math.sqrt(fanIn));
    }
}
