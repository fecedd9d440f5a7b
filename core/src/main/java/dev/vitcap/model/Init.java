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
