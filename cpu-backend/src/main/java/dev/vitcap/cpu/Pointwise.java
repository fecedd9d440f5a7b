package dev.vitcap.cpu;

import dev.vitcap.kernel.DropoutHash;
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

    /** Elements per block of the kernels that work in two loops: a block's intermediate stays in the first-level cache. */
    private static final int BLOCK = 2048;

    /**
     * {@code dx = dy·GELU'(x)}; dx may be dy. Two loops per block, GELU' into an array and then the
     * product: one loop with both the tensors' three buffer accesses and GELU' in it passed C2's
     * inlining budget and boxed its vectors (1.8 against 0.8 ns an element).
     */
    static void geluBackward(CpuTensor x, CpuTensor dy, CpuTensor dx, int from, int to) {
        int end = end(from, to);
        float[] grad = new float[Math.min(BLOCK, end - from)];
        for (int block = from; block < end; block += BLOCK) {
            int blockEnd = Math.min(end, block + BLOCK);
            geluGrads(x, grad, block, blockEnd);
            timesGrads(dy, grad, dx, block, blockEnd);
        }
        for (int i = end; i < to; i++) dx.set(i, dy.get(i) * Vec.geluGrad(x.get(i)));
    }

    private static void geluGrads(CpuTensor x, float[] grad, int from, int end) {
        for (int i = from; i < end; i += L) Vec.geluGrad(load(x, i)).intoArray(grad, i - from);
    }

    private static void timesGrads(CpuTensor dy, float[] grad, CpuTensor dx, int from, int end) {
        for (int i = from; i < end; i += L) store(load(dy, i).mul(FloatVector.fromArray(Vec.S, grad, i - from)), dx, i);
    }

    /**
     * Inverted dropout with {@link DropoutHash}'s numbers, computed a vector of 64-bit hashes at a time
     * (the scalar loop, three 64-bit multiplies an element, took 6 ns an element); the same masks bit
     * for bit. Per block, the masks into an array and then the products, for the reason
     * {@link #geluBackward} gives.
     */
    static void dropout(CpuTensor x, CpuTensor y, CpuTensor mask, float p, float keep, long seed, int from, int to) {
        int end = end(from, to);
        float[] m = new float[Math.min(BLOCK, end - from)];
        for (int block = from; block < end; block += BLOCK) {
            int blockEnd = Math.min(end, block + BLOCK);
            dropoutMasks(m, p, keep, seed, block, blockEnd);
            timesMasks(x, m, mask, y, block, blockEnd);
        }
        for (int i = end; i < to; i++) {
            float mi = DropoutHash.uniform(seed, i) < p ? 0f : keep;
            mask.set(i, mi);
            y.set(i, x.get(i) * mi);
        }
    }

    /** Each float vector takes two vectors of hashes, one for each half. */
    private static void dropoutMasks(float[] m, float p, float keep, long seed, int from, int end) {
        FloatVector kept = splat(keep);
        for (int i = from; i < end; i += L) {
            FloatVector u = Vec.uniform(seed, i, 0).add(Vec.uniform(seed, i + L / 2, -1));
            kept.blend(0f, u.lt(p)).intoArray(m, i - from);
        }
    }

    private static void timesMasks(CpuTensor x, float[] m, CpuTensor mask, CpuTensor y, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector mi = FloatVector.fromArray(Vec.S, m, i - from);
            store(mi, mask, i);
            store(load(x, i).mul(mi), y, i);
        }
    }
}
