package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.load;
import static dev.vitcap.cpu.Vec.splat;
import static dev.vitcap.cpu.Vec.store;

/**
 * The element-wise kernels over {@code [from, to)}: out[i] from a[i] (and b[i]). Each is its own small
 * method so that C2 compiles its vector loop whole (see {@link Vec}); the tails are scalar.
 */
final class Pointwise {
    private Pointwise() {
    }

    private static int end(int from, int to) {
        return from + (to - from) / L * L;
    }

    static void add(CpuTensor a, CpuTensor b, CpuTensor o, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(load(a, i).add(load(b, i)), o, i);
        for (; i < to; i++) o.set(i, a.get(i) + b.get(i));
    }

    static void mul(CpuTensor a, CpuTensor b, CpuTensor o, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(load(a, i).mul(load(b, i)), o, i);
        for (; i < to; i++) o.set(i, a.get(i) * b.get(i));
    }

    /** {@code y = alpha·x + beta·y}, with {@code beta = 0} never reading y. */
    static void axpby(float alpha, CpuTensor x, float beta, CpuTensor y, int from, int to) {
        int i = from, end = end(from, to);
        if (beta == 0f) {
            for (; i < end; i += L) store(load(x, i).mul(alpha), y, i);
            for (; i < to; i++) y.set(i, alpha * x.get(i));
        } else {
            for (; i < end; i += L) store(load(x, i).mul(alpha).add(load(y, i).mul(beta)), y, i);
            for (; i < to; i++) y.set(i, alpha * x.get(i) + beta * y.get(i));
        }
    }

    static void tanh(CpuTensor x, CpuTensor unused, CpuTensor y, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(Vec.tanh(load(x, i)), y, i);
        for (; i < to; i++) y.set(i, Vec.tanh(x.get(i)));
    }

    static void tanhBackward(CpuTensor y, CpuTensor dy, CpuTensor dx, int from, int to) {
        int i = from, end = end(from, to);
        FloatVector one = splat(1f);
        for (; i < end; i += L) {
            FloatVector v = load(y, i);
            store(load(dy, i).mul(one.sub(v.mul(v))), dx, i);
        }
        for (; i < to; i++) dx.set(i, dy.get(i) * (1 - y.get(i) * y.get(i)));
    }

    static void sigmoid(CpuTensor x, CpuTensor unused, CpuTensor y, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(Vec.sigmoid(load(x, i)), y, i);
        for (; i < to; i++) y.set(i, Vec.sigmoid(x.get(i)));
    }

    static void sigmoidBackward(CpuTensor y, CpuTensor dy, CpuTensor dx, int from, int to) {
        int i = from, end = end(from, to);
        FloatVector one = splat(1f);
        for (; i < end; i += L) {
            FloatVector v = load(y, i);
            store(load(dy, i).mul(v).mul(one.sub(v)), dx, i);
        }
        for (; i < to; i++) dx.set(i, dy.get(i) * y.get(i) * (1 - y.get(i)));
    }

    static void relu(CpuTensor x, CpuTensor unused, CpuTensor y, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(load(x, i).max(0f), y, i);
        for (; i < to; i++) y.set(i, Math.max(0f, x.get(i)));
    }

    static void reluBackward(CpuTensor y, CpuTensor dy, CpuTensor dx, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(load(dy, i).blend(0f, load(y, i).compare(VectorOperators.LE, 0f)), dx, i);
        for (; i < to; i++) dx.set(i, y.get(i) > 0 ? dy.get(i) : 0f);
    }

    static void gelu(CpuTensor x, CpuTensor unused, CpuTensor y, int from, int to) {
        int i = from, end = end(from, to);
        for (; i < end; i += L) store(Vec.gelu(load(x, i)), y, i);
        for (; i < to; i++) y.set(i, Vec.gelu(x.get(i)));
    }

    /** {@code GELU'(x) = Φ(x) + x·φ(x)}, in two passes of one function each (see {@link Vec}); dx may be dy. */
    static void geluBackward(CpuTensor x, CpuTensor dy, CpuTensor dx, int from, int to) {
        int end = end(from, to);
        float[] cdfPart = new float[end - from];
        dyTimesCdf(x, dy, cdfPart, from, end);
        dyTimesXPdfPlus(x, dy, cdfPart, dx, from, end);
        for (int i = end; i < to; i++) dx.set(i, dy.get(i) * Vec.geluGrad(x.get(i)));
    }

    private static void dyTimesCdf(CpuTensor x, CpuTensor dy, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) load(dy, i).mul(Vec.normalCdf(load(x, i))).intoArray(out, i - from);
    }

    private static void dyTimesXPdfPlus(CpuTensor x, CpuTensor dy, float[] cdfPart, CpuTensor dx, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector v = load(x, i);
            store(load(dy, i).mul(v.mul(Vec.normalPdf(v))).add(FloatVector.fromArray(Vec.S, cdfPart, i - from)), dx, i);
        }
    }
}
