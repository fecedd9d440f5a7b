package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.bound;
import static dev.vitcap.cpu.Vec.load;
import static dev.vitcap.cpu.Vec.splat;
import static dev.vitcap.cpu.Vec.store;

/** Kernels that work row by row with a reduction per row: layer norm, softmax, cross-entropy. */
final class RowKernels {
    private RowKernels() {
    }

    private static float sum(CpuTensor x, int o, int n) {
        int end = bound(n);
        FloatVector acc = splat(0f);
        for (int i = 0; i < end; i += L) acc = acc.add(load(x, o + i));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int i = end; i < n; i++) s += x.get(o + i);
        return s;
    }

    private static float max(CpuTensor x, int o, int n) {
        return extreme(x, o, n, true);
    }

    /** The row's largest (or smallest) element. */
    private static float extreme(CpuTensor x, int o, int n, boolean largest) {
        int end = bound(n);
        float m = largest ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        if (end > 0) {
            FloatVector acc = load(x, o);
            for (int i = L; i < end; i += L) acc = largest ? acc.max(load(x, o + i)) : acc.min(load(x, o + i));
            m = acc.reduceLanes(largest ? VectorOperators.MAX : VectorOperators.MIN);
        }
        for (int i = end; i < n; i++) m = largest ? Math.max(m, x.get(o + i)) : Math.min(m, x.get(o + i));
        return m;
    }

    /** The column of the row's largest element, the first of equals; a row with a NaN is scanned one by one. */
    static int argmax(CpuTensor x, int o, int n) {
        float m = max(x, o, n);
        int end = bound(n), i = 0;
        for (; i < end; i += L) {
            int lane = load(x, o + i).eq(m).firstTrue();
            if (lane < L) return i + lane;
        }
        for (; i < n; i++) if (x.get(o + i) == m) return i;
        int best = 0;
        for (int c = 1; c < n; c++) if (x.get(o + c) > x.get(o + best)) best = c;
        return best;
    }

    /** {@code y = x + bias} in rows {@code [from, to)}. */
    static void addBias(CpuTensor x, CpuTensor y, CpuTensor bias, int from, int to, int cols) {
        int end = bound(cols);
        for (int r = from; r < to; r++) {
            int o = r * cols;
            for (int i = 0; i < end; i += L) store(load(x, o + i).add(load(bias, i)), y, o + i);
            for (int i = end; i < cols; i++) y.set(o + i, x.get(o + i) + bias.get(i));
        }
    }

    static void layerNorm(CpuTensor x, CpuTensor gamma, CpuTensor beta, CpuTensor y, CpuTensor mean, CpuTensor rstd,
                          int rows, int cols, float eps) {
        int end = bound(cols);
        Parallel.forEach(rows, cols, (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float mu = sum(x, o, cols) / cols;
                FloatVector acc = splat(0f);
                for (int i = 0; i < end; i += L) {
                    FloatVector d = load(x, o + i).sub(mu);
                    acc = d.fma(d, acc);
                }
                float var = acc.reduceLanes(VectorOperators.ADD);
                for (int i = end; i < cols; i++) var += (x.get(o + i) - mu) * (x.get(o + i) - mu);
                float rs = (float) (1 / Math.sqrt(var / cols + eps));
                for (int i = 0; i < end; i += L) {
                    store(load(x, o + i).sub(mu).mul(rs).fma(load(gamma, i), load(beta, i)), y, o + i);
                }
                for (int i = end; i < cols; i++) y.set(o + i, (x.get(o + i) - mu) * rs * gamma.get(i) + beta.get(i));
                mean.set(r, mu);
                rstd.set(r, rs);
            }
        });
    }

    /**
     * Accumulates dx per row; dGamma and dBeta sum over rows, so each chunk of rows first sums into its
     * own slice of a scratch buffer and the slices are added in a fixed order afterwards.
     */
    static void layerNormBackward(CpuTensor dy, CpuTensor x, CpuTensor gamma, CpuTensor mean, CpuTensor rstd,
                                  CpuTensor dx, CpuTensor dGamma, CpuTensor dBeta, int rows, int cols) {
        int chunks = Parallel.chunks(rows, cols);
        float[][] dg = new float[chunks][cols], db = new float[chunks][cols];
        int end = bound(cols);
        Parallel.forEach(rows, cols, (chunk, from, to) -> {
            float[] g = dg[chunk], bb = db[chunk];
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float mu = mean.get(r), rs = rstd.get(r);
                FloatVector sumG = splat(0f), sumGX = splat(0f);
                for (int i = 0; i < end; i += L) {
                    FloatVector xhat = load(x, o + i).sub(mu).mul(rs);
                    FloatVector d = load(dy, o + i);
                    FloatVector gi = d.mul(load(gamma, i));
                    sumG = sumG.add(gi);
                    sumGX = gi.fma(xhat, sumGX);
                    FloatVector.fromArray(Vec.S, g, i).add(d.mul(xhat)).intoArray(g, i);
                    FloatVector.fromArray(Vec.S, bb, i).add(d).intoArray(bb, i);
                }
                float meanG = sumG.reduceLanes(VectorOperators.ADD), meanGX = sumGX.reduceLanes(VectorOperators.ADD);
                for (int i = end; i < cols; i++) {
                    float xhat = (x.get(o + i) - mu) * rs, d = dy.get(o + i), gi = d * gamma.get(i);
                    meanG += gi;
                    meanGX += gi * xhat;
                    g[i] += d * xhat;
                    bb[i] += d;
                }
                meanG /= cols;
                meanGX /= cols;
                for (int i = 0; i < end; i += L) {
                    FloatVector xhat = load(x, o + i).sub(mu).mul(rs);
                    FloatVector gi = load(dy, o + i).mul(load(gamma, i));
                    FloatVector delta = gi.sub(meanG).sub(xhat.mul(meanGX)).mul(rs);
                    store(load(dx, o + i).add(delta), dx, o + i);
                }
                for (int i = end; i < cols; i++) {
                    float xhat = (x.get(o + i) - mu) * rs, gi = dy.get(o + i) * gamma.get(i);
                    dx.set(o + i, dx.get(o + i) + (gi - meanG - xhat * meanGX) * rs);
                }
            }
        });
        for (int ch = 0; ch < chunks; ch++) {
            for (int i = 0; i < cols; i++) {
                dGamma.set(i, dGamma.get(i) + dg[ch][i]);
                dBeta.set(i, dBeta.get(i) + db[ch][i]);
            }
        }
    }

    /** Softmax (or log-softmax) of {@code scale·x} per row; y may be x. */
    static void softmax(CpuTensor x, CpuTensor y, int rows, int cols, float scale, boolean log) {
        Parallel.forEach(rows, cols * 4L, (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float m = scale * extreme(x, o, cols, scale >= 0); // the largest of scale·x
                float z = expScaled(x, log ? null : y, o, cols, scale, m);
                if (log) affine(x, y, o, cols, scale, -(m + (float) Math.log(z)));
                else affine(y, y, o, cols, 1f / z, 0f);
            }
        });
    }

    /** {@code Σ exp(scale·x − m)} over a row, each term also written to {@code e} unless it is null. */
    private static float expScaled(CpuTensor x, CpuTensor e, int o, int n, float scale, float m) {
        int end = bound(n);
        FloatVector acc = splat(0f);
        for (int i = 0; i < end; i += L) {
            FloatVector v = Vec.exp(load(x, o + i).mul(scale).sub(m));
            if (e != null) store(v, e, o + i);
            acc = acc.add(v);
        }
        float z = acc.reduceLanes(VectorOperators.ADD);
        for (int i = end; i < n; i++) {
            float v = Vec.exp(x.get(o + i) * scale - m);
            if (e != null) e.set(o + i, v);
            z += v;
        }
        return z;
    }

    /** {@code y = a·x + b} over a row; y may be x. */
    private static void affine(CpuTensor x, CpuTensor y, int o, int n, float a, float b) {
        int end = bound(n);
        for (int i = 0; i < end; i += L) store(load(x, o + i).fma(a, b), y, o + i);
        for (int i = end; i < n; i++) y.set(o + i, x.get(o + i) * a + b);
    }

    static void softmaxBackward(CpuTensor y, CpuTensor dy, CpuTensor dx, int rows, int cols, float scale) {
        int end = bound(cols);
        Parallel.forEach(rows, cols * 2L, (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                FloatVector acc = splat(0f);
                for (int i = 0; i < end; i += L) acc = load(y, o + i).fma(load(dy, o + i), acc);
                float dot = acc.reduceLanes(VectorOperators.ADD);
                for (int i = end; i < cols; i++) dot += y.get(o + i) * dy.get(o + i);
                for (int i = 0; i < end; i += L) store(load(y, o + i).mul(load(dy, o + i).sub(dot)).mul(scale), dx, o + i);
                for (int i = end; i < cols; i++) dx.set(o + i, scale * y.get(o + i) * (dy.get(o + i) - dot));
            }
        });
    }

    static void crossEntropy(CpuTensor logits, CpuTensor targets, int rows, int cols, int ignoreIndex, float eps,
                             CpuTensor losses, CpuTensor dLogits, float gradScale) {
        float uniform = eps / cols;
        Parallel.forEach(rows, cols * 4L, (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols, target = targets.id(r);
                if (target == ignoreIndex) {
                    losses.set(r, 0f);
                    if (dLogits != null) {
                        for (int i = 0; i < cols; i++) dLogits.set(o + i, 0f);
                    }
                    continue;
                }
                float m = max(logits, o, cols);
                float z = expScaled(logits, null, o, cols, 1f, m);
                float lse = m + (float) Math.log(z);
                // −Σ q·log p with q = (1−eps)·onehot + eps/cols, log p = x − lse.
                losses.set(r, (1 - eps) * (lse - logits.get(o + target)) + uniform * (cols * lse - sum(logits, o, cols)));
                if (dLogits != null) {
                    softmaxMinus(logits, dLogits, o, cols, m, 1f / z, uniform, gradScale);
                    dLogits.set(o + target, dLogits.get(o + target) - (1 - eps) * gradScale);
                }
            }
        });
    }

    /** {@code out = scale·(exp(x − m)/z − shift)} over a row. */
    private static void softmaxMinus(CpuTensor x, CpuTensor out, int o, int n, float m, float invZ, float shift, float scale) {
        int end = bound(n);
        for (int i = 0; i < end; i += L) store(Vec.exp(load(x, o + i).sub(m)).mul(invZ).sub(shift).mul(scale), out, o + i);
        for (int i = end; i < n; i++) out.set(o + i, (Vec.exp(x.get(o + i) - m) * invZ - shift) * scale);
    }
}
