package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.bound;
import static dev.vitcap.cpu.Vec.load;
import static dev.vitcap.cpu.Vec.splat;
import static dev.vitcap.cpu.Vec.store;

/**
 * The decoder's per-step kernels: the LSTM cell (four gates and the state update) and the additive
 * attention read, forward and backward. Images are split across cores; sums over images (the
 * attention weights' gradients) are taken per chunk and added in a fixed order. Each vector loop is a
 * small method of its own (see {@link Vec}).
 */
final class RecurrentKernels {
    private RecurrentKernels() {
    }

    private static final FloatVector ONE = splat(1f);

    static void lstmCell(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, CpuTensor cPrev, CpuTensor h, CpuTensor c,
                         CpuTensor acts, int batch, int hid) {
        Parallel.forEach(batch, hid * 8L, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                int g = b * 4 * hid;
                sigmoidGates(gates, bIh, bHh, acts, g, 0, 2 * hid);
                tanhGate(gates, bIh, bHh, acts, g, 2 * hid, hid);
                sigmoidGates(gates, bIh, bHh, acts, g, 3 * hid, hid);
                updateState(acts, cPrev, h, c, g, b * hid, hid);
            }
        });
    }

    /** Gates {@code [unit, unit + n)} of one row: {@code acts = σ(gates + both biases)}. */
    private static void sigmoidGates(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, CpuTensor acts, int row, int unit, int n) {
        int end = bound(n);
        for (int j = 0; j < end; j += L) {
            FloatVector pre = load(gates, row + unit + j).add(load(bIh, unit + j)).add(load(bHh, unit + j));
            store(Vec.sigmoid(pre), acts, row + unit + j);
        }
        for (int j = end; j < n; j++) acts.set(row + unit + j, Vec.sigmoid(gates.get(row + unit + j) + bIh.get(unit + j) + bHh.get(unit + j)));
    }

    /** The cell gate: {@code acts = tanh(gates + both biases)}, in a method of its own (see {@link Vec}). */
    private static void tanhGate(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, CpuTensor acts, int row, int unit, int n) {
        int end = bound(n);
        for (int j = 0; j < end; j += L) {
            FloatVector pre = load(gates, row + unit + j).add(load(bIh, unit + j)).add(load(bHh, unit + j));
            store(Vec.tanh(pre), acts, row + unit + j);
        }
        for (int j = end; j < n; j++) acts.set(row + unit + j, Vec.tanh(gates.get(row + unit + j) + bIh.get(unit + j) + bHh.get(unit + j)));
    }

    /** {@code c = f⊙cPrev + i⊙g}, {@code h = o⊙tanh(c)} for one row. */
    private static void updateState(CpuTensor acts, CpuTensor cPrev, CpuTensor h, CpuTensor c, int g, int s, int hid) {
        int end = bound(hid);
        for (int j = 0; j < end; j += L) {
            FloatVector cNew = load(acts, g + hid + j).mul(load(cPrev, s + j)).add(load(acts, g + j).mul(load(acts, g + 2 * hid + j)));
            store(cNew, c, s + j);
            store(load(acts, g + 3 * hid + j).mul(Vec.tanh(cNew)), h, s + j);
        }
        for (int j = end; j < hid; j++) {
            float cNew = acts.get(g + hid + j) * cPrev.get(s + j) + acts.get(g + j) * acts.get(g + 2 * hid + j);
            c.set(s + j, cNew);
            h.set(s + j, acts.get(g + 3 * hid + j) * Vec.tanh(cNew));
        }
    }

    static void lstmCellBackward(CpuTensor acts, CpuTensor cPrev, CpuTensor c, CpuTensor dh, CpuTensor dc, CpuTensor dGates,
                                 int batch, int hid) {
        Parallel.forEach(batch, hid * 8L, (chunk, from, to) -> {
            for (int b = from; b < to; b++) cellBackwardRow(acts, cPrev, c, dh, dc, dGates, b * 4 * hid, b * hid, hid);
        });
    }

    private static void cellBackwardRow(CpuTensor acts, CpuTensor cPrev, CpuTensor c, CpuTensor dh, CpuTensor dc, CpuTensor dGates,
                                        int g, int s, int hid) {
        int end = bound(hid);
        for (int j = 0; j < end; j += L) {
            FloatVector i = load(acts, g + j), f = load(acts, g + hid + j), gg = load(acts, g + 2 * hid + j), o = load(acts, g + 3 * hid + j);
            FloatVector tc = Vec.tanh(load(c, s + j)), dhv = load(dh, s + j);
            FloatVector dct = load(dc, s + j).add(dhv.mul(o).mul(ONE.sub(tc.mul(tc))));
            store(dct.mul(gg).mul(i).mul(ONE.sub(i)), dGates, g + j);
            store(dct.mul(load(cPrev, s + j)).mul(f).mul(ONE.sub(f)), dGates, g + hid + j);
            store(dct.mul(i).mul(ONE.sub(gg.mul(gg))), dGates, g + 2 * hid + j);
            store(dhv.mul(tc).mul(o).mul(ONE.sub(o)), dGates, g + 3 * hid + j);
            store(dct.mul(f), dc, s + j);
        }
        for (int j = end; j < hid; j++) {
            float i = acts.get(g + j), f = acts.get(g + hid + j), gg = acts.get(g + 2 * hid + j), o = acts.get(g + 3 * hid + j);
            float tc = Vec.tanh(c.get(s + j)), dhv = dh.get(s + j);
            float dct = dc.get(s + j) + dhv * o * (1 - tc * tc);
            dGates.set(g + j, dct * gg * i * (1 - i));
            dGates.set(g + hid + j, dct * cPrev.get(s + j) * f * (1 - f));
            dGates.set(g + 2 * hid + j, dct * i * (1 - gg * gg));
            dGates.set(g + 3 * hid + j, dhv * tc * o * (1 - o));
            dc.set(s + j, dct * f);
        }
    }

    static void attention(CpuTensor encProj, CpuTensor decProj, CpuTensor w, CpuTensor bias, CpuTensor enc,
                          CpuTensor u, CpuTensor alpha, CpuTensor ctx, int batch, int tokens, int att, int dim) {
        attend(encProj, decProj, w, bias, enc, u, alpha, ctx, batch, 1, tokens, att, dim);
    }

    /** {@link #attention} without {@code u}, each image's tokens serving {@code share} consecutive rows. */
    static void attentionStep(CpuTensor encProj, CpuTensor decProj, CpuTensor w, CpuTensor bias, CpuTensor enc,
                              CpuTensor alpha, CpuTensor ctx, int rows, int share, int tokens, int att, int dim) {
        attend(encProj, decProj, w, bias, enc, null, alpha, ctx, rows, share, tokens, att, dim);
    }

    /** Row {@code r} attends over image {@code r / share}'s tokens; {@code u} is stored unless null. */
    private static void attend(CpuTensor encProj, CpuTensor decProj, CpuTensor w, CpuTensor bias, CpuTensor enc, CpuTensor u,
                               CpuTensor alpha, CpuTensor ctx, int rows, int share, int tokens, int att, int dim) {
        float b0 = bias.get(0);
        Parallel.forEach(rows, (long) tokens * (att * 8L + dim), (chunk, from, to) -> {
            float[] e = new float[tokens];
            for (int r = from; r < to; r++) {
                int image = r / share;
                for (int n = 0; n < tokens; n++) {
                    int row = (image * tokens + n) * att;
                    e[n] = b0 + (u == null ? scoreOnly(encProj, decProj, w, row, r * att, att) : score(encProj, decProj, w, u, row, r * att, att));
                }
                softmaxInto(e, alpha, r * tokens);
                context(enc, image * tokens, alpha, r * tokens, ctx, r * dim, tokens, dim);
            }
        });
    }

    /** {@code alpha[at + n] = softmax(e)[n]}. */
    private static void softmaxInto(float[] e, CpuTensor alpha, int at) {
        float max = Float.NEGATIVE_INFINITY, z = 0;
        for (float v : e) max = Math.max(max, v);
        for (int n = 0; n < e.length; n++) {
            e[n] = (float) Math.exp(e[n] - max);
            z += e[n];
        }
        for (int n = 0; n < e.length; n++) alpha.set(at + n, e[n] / z);
    }

    /** {@code u = tanh(encProj[row] + decProj[q])}, stored; returns {@code u·w}. */
    private static float score(CpuTensor encProj, CpuTensor decProj, CpuTensor w, CpuTensor u, int row, int q, int att) {
        int end = bound(att);
        FloatVector acc = splat(0f);
        for (int a = 0; a < end; a += L) {
            FloatVector t = Vec.tanh(load(encProj, row + a).add(load(decProj, q + a)));
            store(t, u, row + a);
            acc = t.fma(load(w, a), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int a = end; a < att; a++) {
            float t = Vec.tanh(encProj.get(row + a) + decProj.get(q + a));
            u.set(row + a, t);
            s += t * w.get(a);
        }
        return s;
    }

    /** {@code tanh(encProj[row] + decProj[q])·w}, as {@link #score} without storing {@code u}. */
    private static float scoreOnly(CpuTensor encProj, CpuTensor decProj, CpuTensor w, int row, int q, int att) {
        int end = bound(att);
        FloatVector acc = splat(0f);
        for (int a = 0; a < end; a += L) acc = Vec.tanh(load(encProj, row + a).add(load(decProj, q + a))).fma(load(w, a), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int a = end; a < att; a++) s += Vec.tanh(encProj.get(row + a) + decProj.get(q + a)) * w.get(a);
        return s;
    }

    /** {@code ctx[c0..] = Σ_n alpha[a0 + n]·enc[(e0 + n)·dim ..]}: the weighted sum of one row's tokens. */
    private static void context(CpuTensor enc, int e0, CpuTensor alpha, int a0, CpuTensor ctx, int c0, int tokens, int dim) {
        int end = bound(dim);
        for (int d = 0; d < end; d += L) {
            FloatVector acc = splat(0f);
            for (int n = 0; n < tokens; n++) acc = load(enc, (e0 + n) * dim + d).fma(splat(alpha.get(a0 + n)), acc);
            store(acc, ctx, c0 + d);
        }
        for (int d = end; d < dim; d++) {
            float acc = 0;
            for (int n = 0; n < tokens; n++) acc += alpha.get(a0 + n) * enc.get((e0 + n) * dim + d);
            ctx.set(c0 + d, acc);
        }
    }

    static void attentionBackward(CpuTensor u, CpuTensor alpha, CpuTensor enc, CpuTensor w, CpuTensor dCtx, CpuTensor dAlpha,
                                  CpuTensor dEncProj, CpuTensor dDecProj, CpuTensor dW, CpuTensor dB, CpuTensor dEnc,
                                  int batch, int tokens, int att, int dim) {
        long cost = (long) tokens * (att * 6L + dim * 4L);
        int chunks = Parallel.chunks(batch, cost);
        float[][] dw = new float[chunks][att];
        float[] db = new float[chunks];
        Parallel.forEach(batch, cost, (chunk, from, to) -> {
            float[] da = new float[tokens];
            for (int b = from; b < to; b++) {
                float dot = 0;
                for (int n = 0; n < tokens; n++) {
                    int at = b * tokens + n;
                    da[n] = (dAlpha == null ? 0f : dAlpha.get(at)) + alphaGradient(enc, dCtx, dEnc, alpha.get(at), at * dim, b * dim, dim);
                    dot += da[n] * alpha.get(at);
                }
                for (int a = 0; a < att; a++) dDecProj.set(b * att + a, 0f);
                for (int n = 0; n < tokens; n++) {
                    float de = alpha.get(b * tokens + n) * (da[n] - dot);
                    db[chunk] += de;
                    scoreGradient(u, w, dEncProj, dDecProj, dw[chunk], de, (b * tokens + n) * att, b * att, att);
                }
            }
        });
        for (int ch = 0; ch < chunks; ch++) {
            for (int a = 0; a < att; a++) dW.set(a, dW.get(a) + dw[ch][a]);
            dB.set(0, dB.get(0) + db[ch]);
        }
    }

    /** Accumulates {@code dEnc[row] += alpha·dCtx[c]}; returns {@code dCtx[c]·enc[row]}, the weight's gradient. */
    private static float alphaGradient(CpuTensor enc, CpuTensor dCtx, CpuTensor dEnc, float alpha, int row, int c, int dim) {
        int end = bound(dim);
        FloatVector acc = splat(0f), av = splat(alpha);
        for (int d = 0; d < end; d += L) {
            FloatVector g = load(dCtx, c + d);
            acc = g.fma(load(enc, row + d), acc);
            store(g.fma(av, load(dEnc, row + d)), dEnc, row + d);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int d = end; d < dim; d++) {
            float g = dCtx.get(c + d);
            s += g * enc.get(row + d);
            dEnc.set(row + d, dEnc.get(row + d) + alpha * g);
        }
        return s;
    }

    /** From one score's gradient {@code de}: {@code dw += de·u}, and {@code de·w⊙(1−u²)} into dEncProj[row] and dDecProj[q]. */
    private static void scoreGradient(CpuTensor u, CpuTensor w, CpuTensor dEncProj, CpuTensor dDecProj, float[] dw, float de,
                                      int row, int q, int att) {
        int end = bound(att);
        FloatVector dev = splat(de);
        for (int a = 0; a < end; a += L) {
            FloatVector t = load(u, row + a);
            FloatVector.fromArray(Vec.S, dw, a).add(t.mul(dev)).intoArray(dw, a);
            FloatVector pre = dev.mul(load(w, a)).mul(ONE.sub(t.mul(t)));
            store(load(dEncProj, row + a).add(pre), dEncProj, row + a);
            store(load(dDecProj, q + a).add(pre), dDecProj, q + a);
        }
        for (int a = end; a < att; a++) {
            float t = u.get(row + a);
            dw[a] += de * t;
            float pre = de * w.get(a) * (1 - t * t);
            dEncProj.set(row + a, dEncProj.get(row + a) + pre);
            dDecProj.set(q + a, dDecProj.get(q + a) + pre);
        }
    }
}
