package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.bound;
import static dev.vitcap.cpu.Vec.load;
import static dev.vitcap.cpu.Vec.splat;
import static dev.vitcap.cpu.Vec.store;

/**
 * The decoder's per-step kernels, each one pass over its data: the LSTM cell (four gates and the
 * state update) and the additive attention read, forward and backward. Images are split across cores;
 * sums over images (the attention weights' gradients) are taken per chunk and added in a fixed order.
 */
final class RecurrentKernels {
    private RecurrentKernels() {
    }

    private static final FloatVector ONE = splat(1f);

    static void lstmCell(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, CpuTensor cPrev, CpuTensor h, CpuTensor c,
                         CpuTensor acts, int batch, int hid) {
        int end = bound(hid);
        Parallel.forEach(batch, hid * 8L, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                int g = b * 4 * hid, s = b * hid;
                for (int j = 0; j < end; j += L) {
                    FloatVector i = Vec.sigmoid(pre(gates, bIh, bHh, g, j));
                    FloatVector f = Vec.sigmoid(pre(gates, bIh, bHh, g, hid + j));
                    FloatVector gg = Vec.tanh(pre(gates, bIh, bHh, g, 2 * hid + j));
                    FloatVector o = Vec.sigmoid(pre(gates, bIh, bHh, g, 3 * hid + j));
                    FloatVector cNew = f.mul(load(cPrev, s + j)).add(i.mul(gg));
                    store(cNew, c, s + j);
                    store(o.mul(Vec.tanh(cNew)), h, s + j);
                    store(i, acts, g + j);
                    store(f, acts, g + hid + j);
                    store(gg, acts, g + 2 * hid + j);
                    store(o, acts, g + 3 * hid + j);
                }
                for (int j = end; j < hid; j++) {
                    float i = Vec.sigmoid(preScalar(gates, bIh, bHh, g, j));
                    float f = Vec.sigmoid(preScalar(gates, bIh, bHh, g, hid + j));
                    float gg = Vec.tanh(preScalar(gates, bIh, bHh, g, 2 * hid + j));
                    float o = Vec.sigmoid(preScalar(gates, bIh, bHh, g, 3 * hid + j));
                    float cNew = f * cPrev.get(s + j) + i * gg;
                    c.set(s + j, cNew);
                    h.set(s + j, o * Vec.tanh(cNew));
                    acts.set(g + j, i);
                    acts.set(g + hid + j, f);
                    acts.set(g + 2 * hid + j, gg);
                    acts.set(g + 3 * hid + j, o);
                }
            }
        });
    }

    private static FloatVector pre(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, int row, int unit) {
        return load(gates, row + unit).add(load(bIh, unit)).add(load(bHh, unit));
    }

    private static float preScalar(CpuTensor gates, CpuTensor bIh, CpuTensor bHh, int row, int unit) {
        return gates.get(row + unit) + bIh.get(unit) + bHh.get(unit);
    }

    static void lstmCellBackward(CpuTensor acts, CpuTensor cPrev, CpuTensor c, CpuTensor dh, CpuTensor dc, CpuTensor dGates,
                                 int batch, int hid) {
        int end = bound(hid);
        Parallel.forEach(batch, hid * 8L, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                int g = b * 4 * hid, s = b * hid;
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
        });
    }

    static void attention(CpuTensor encProj, CpuTensor decProj, CpuTensor w, CpuTensor bias, CpuTensor enc,
                          CpuTensor u, CpuTensor alpha, CpuTensor ctx, int batch, int tokens, int att, int dim) {
        int endA = bound(att), endD = bound(dim);
        float b0 = bias.get(0);
        Parallel.forEach(batch, (long) tokens * (att * 8L + dim), (chunk, from, to) -> {
            float[] e = new float[tokens];
            for (int b = from; b < to; b++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int n = 0; n < tokens; n++) {
                    int row = (b * tokens + n) * att;
                    FloatVector acc = splat(0f);
                    for (int a = 0; a < endA; a += L) {
                        FloatVector t = Vec.tanh(load(encProj, row + a).add(load(decProj, b * att + a)));
                        store(t, u, row + a);
                        acc = t.fma(load(w, a), acc);
                    }
                    float s = b0 + acc.reduceLanes(VectorOperators.ADD);
                    for (int a = endA; a < att; a++) {
                        float t = Vec.tanh(encProj.get(row + a) + decProj.get(b * att + a));
                        u.set(row + a, t);
                        s += t * w.get(a);
                    }
                    e[n] = s;
                    max = Math.max(max, s);
                }
                float z = 0;
                for (int n = 0; n < tokens; n++) {
                    e[n] = Vec.exp(e[n] - max);
                    z += e[n];
                }
                for (int n = 0; n < tokens; n++) alpha.set(b * tokens + n, e[n] / z);
                for (int d = 0; d < endD; d += L) {
                    FloatVector acc = splat(0f);
                    for (int n = 0; n < tokens; n++) acc = load(enc, (b * tokens + n) * dim + d).fma(splat(alpha.get(b * tokens + n)), acc);
                    store(acc, ctx, b * dim + d);
                }
                for (int d = endD; d < dim; d++) {
                    float acc = 0;
                    for (int n = 0; n < tokens; n++) acc += alpha.get(b * tokens + n) * enc.get((b * tokens + n) * dim + d);
                    ctx.set(b * dim + d, acc);
                }
            }
        });
    }

    static void attentionBackward(CpuTensor u, CpuTensor alpha, CpuTensor enc, CpuTensor w, CpuTensor dCtx, CpuTensor dAlpha,
                                  CpuTensor dEncProj, CpuTensor dDecProj, CpuTensor dW, CpuTensor dB, CpuTensor dEnc,
                                  int batch, int tokens, int att, int dim) {
        int endA = bound(att), endD = bound(dim);
        long cost = (long) tokens * (att * 6L + dim * 4L);
        int chunks = Parallel.chunks(batch, cost);
        float[][] dw = new float[chunks][att];
        float[] db = new float[chunks];
        Parallel.forEach(batch, cost, (chunk, from, to) -> {
            float[] da = new float[tokens], dwc = dw[chunk];
            for (int b = from; b < to; b++) {
                float dot = 0;
                for (int n = 0; n < tokens; n++) {
                    int row = (b * tokens + n) * dim;
                    float an = alpha.get(b * tokens + n);
                    FloatVector acc = splat(0f), av = splat(an);
                    for (int d = 0; d < endD; d += L) {
                        FloatVector g = load(dCtx, b * dim + d);
                        acc = g.fma(load(enc, row + d), acc);
                        store(g.fma(av, load(dEnc, row + d)), dEnc, row + d);
                    }
                    float s = (dAlpha == null ? 0f : dAlpha.get(b * tokens + n)) + acc.reduceLanes(VectorOperators.ADD);
                    for (int d = endD; d < dim; d++) {
                        float g = dCtx.get(b * dim + d);
                        s += g * enc.get(row + d);
                        dEnc.set(row + d, dEnc.get(row + d) + an * g);
                    }
                    da[n] = s;
                    dot += s * an;
                }
                for (int a = 0; a < att; a++) dDecProj.set(b * att + a, 0f);
                for (int n = 0; n < tokens; n++) {
                    float de = alpha.get(b * tokens + n) * (da[n] - dot);
                    db[chunk] += de;
                    int row = (b * tokens + n) * att;
                    FloatVector dev = splat(de);
                    for (int a = 0; a < endA; a += L) {
                        FloatVector t = load(u, row + a);
                        FloatVector.fromArray(Vec.S, dwc, a).add(t.mul(dev)).intoArray(dwc, a);
                        FloatVector pre = dev.mul(load(w, a)).mul(ONE.sub(t.mul(t)));
                        store(load(dEncProj, row + a).add(pre), dEncProj, row + a);
                        store(load(dDecProj, b * att + a).add(pre), dDecProj, b * att + a);
                    }
                    for (int a = endA; a < att; a++) {
                        float t = u.get(row + a);
                        dwc[a] += de * t;
                        float pre = de * w.get(a) * (1 - t * t);
                        dEncProj.set(row + a, dEncProj.get(row + a) + pre);
                        dDecProj.set(b * att + a, dDecProj.get(b * att + a) + pre);
                    }
                }
            }
        });
        for (int ch = 0; ch < chunks; ch++) {
            for (int a = 0; a < att; a++) dW.set(a, dW.get(a) + dw[ch][a]);
            dB.set(0, dB.get(0) + db[ch]);
        }
    }
}
