package dev.vitcap.cpu;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.bytedeco.javacpp.Pointer;

import java.util.List;

import static dev.vitcap.cpu.Vec.L;
import static dev.vitcap.cpu.Vec.bound;
import static dev.vitcap.cpu.Vec.load;
import static dev.vitcap.cpu.Vec.splat;
import static dev.vitcap.cpu.Vec.store;

/**
 * The {@code cpu} backend: matrix products by the OpenBLAS that ND4J runs on ({@link Blas}), and every
 * other kernel fused into one pass over its data with the Vector API, split across the cores for
 * large tensors ({@link Parallel}). The fused recurrent and attention kernels live in
 * {@link RecurrentKernels}; each kernel's contract is in {@link Kernels} and its plain version in
 * {@link dev.vitcap.kernel.ReferenceKernels}.
 */
public final class CpuKernels implements Kernels {
    private final BufferPool pool = new BufferPool();

    static CpuTensor c(Tensor t) {
        return (CpuTensor) t;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Tensor empty(DType dtype, int... shape) {
        return pool.take(dtype, shape);
    }

    @Override
    public void write(Tensor dst, float[] src) {
        CpuTensor d = c(dst);
        d.buf.asFloatBuffer().put(d.off, src, 0, d.length());
    }

    @Override
    public void writeInts(Tensor dst, int[] src) {
        CpuTensor d = c(dst);
        d.buf.asIntBuffer().put(d.off, src, 0, d.length());
    }

    @Override
    public void read(Tensor src, float[] dst) {
        CpuTensor s = c(src);
        s.get(0, dst, 0, s.length());
    }

    @Override
    public void readInts(Tensor src, int[] dst) {
        CpuTensor s = c(src);
        s.buf.asIntBuffer().get(s.off, dst, 0, s.length());
    }

    @Override
    public void fill(Tensor t, float value) {
        CpuTensor x = c(t);
        if (value == 0f) {   // memset: zeroing every gradient at start-up runs before the JIT has compiled this loop
            Pointer.memset(x.pointer(0), 0, (long) x.length() * Float.BYTES);
            return;
        }
        int n = x.length(), end = bound(n);
        FloatVector v = splat(value);
        for (int i = 0; i < end; i += L) store(v, x, i);
        for (int i = end; i < n; i++) x.set(i, value);
    }

    @Override
    public void copy2d(int rows, int cols, Tensor src, int srcLd, Tensor dst, int dstLd) {
        CpuTensor s = c(src), d = c(dst);
        Parallel.forEach(rows, cols, (chunk, from, to) -> {
            for (int r = from; r < to; r++) copyRow(s, r * srcLd, d, r * dstLd, cols);
        });
    }

    private static void copyRow(CpuTensor s, int si, CpuTensor d, int di, int n) {
        d.buf.put(d.at(di), s.buf, s.at(si), n << 2);
    }

    @Override
    public void gatherRows(int rows, int cols, Tensor src, Tensor idx, Tensor dst) {
        CpuTensor s = c(src), ix = c(idx), d = c(dst);
        for (int r = 0; r < rows; r++) copyRow(s, ix.id(r) * cols, d, r * cols, cols);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Tensor a, int lda, Tensor b, int ldb, float beta, Tensor c, int ldc) {
        Blas.gemm(transA, transB, m, n, k, alpha, c(a), lda, c(b), ldb, beta, c(c), ldc);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, int lda, long strideA, Tensor b, int ldb, long strideB,
                            float beta, Tensor c, int ldc, long strideC, int batch) {
        Blas.gemmBatched(transA, transB, m, n, k, alpha, c(a), lda, strideA, c(b), ldb, strideB, beta, c(c), ldc, strideC, batch);
    }

    @Override
    public Tensor prepareWeight(Tensor w, int n, int k, int ld, boolean transposed, int rows) {
        return new PackedWeight(c(w), n, k, ld, transposed, rows >= PackedGemm.MIN_PACKING_ROWS);
    }

    @Override
    public void gemmPrepared(int m, Tensor a, int lda, Tensor w, float beta, Tensor c, int ldc) {
        PackedGemm.gemm(m, c(a), lda, (PackedWeight) w, beta, c(c), ldc);
    }

    @Override
    public void addBias(Tensor y, int rows, int cols, Tensor bias) {
        addBias(y, y, rows, cols, bias);
    }

    @Override
    public void addBias(Tensor x, Tensor y, int rows, int cols, Tensor bias) {
        CpuTensor X = c(x), Y = c(y), b = c(bias);
        Parallel.forEach(rows, cols, (chunk, from, to) -> RowKernels.addBias(X, Y, b, from, to, cols));
    }

    @Override
    public void sumRows(Tensor x, int rows, int cols, Tensor out) {
        CpuTensor X = c(x), o = c(out);
        // Split over columns so each thread owns its outputs: no partial sums to combine, same result every run.
        Parallel.forEach(cols, rows, (chunk, from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector acc = load(o, i);
                for (int r = 0; r < rows; r++) acc = acc.add(load(X, r * cols + i));
                store(acc, o, i);
            }
            for (; i < to; i++) {
                float acc = o.get(i);
                for (int r = 0; r < rows; r++) acc += X.get(r * cols + i);
                o.set(i, acc);
            }
        });
    }

    @Override
    public void meanTokens(Tensor x, int batch, int tokens, int dim, Tensor out) {
        CpuTensor X = c(x), o = c(out);
        float inv = 1f / tokens;
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < dim; d++) {
                float acc = 0;
                for (int n = 0; n < tokens; n++) acc += X.get((b * tokens + n) * dim + d);
                o.set(b * dim + d, acc * inv);
            }
        }
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int batch, int tokens, int dim, Tensor dx) {
        CpuTensor g = c(dOut), d = c(dx);
        float inv = 1f / tokens;
        for (int b = 0; b < batch; b++) {
            for (int n = 0; n < tokens; n++) {
                for (int k = 0; k < dim; k++) {
                    int i = (b * tokens + n) * dim + k;
                    d.set(i, d.get(i) + g.get(b * dim + k) * inv);
                }
            }
        }
    }

    @Override
    public double sum(Tensor x) {
        CpuTensor X = c(x);
        double acc = 0;
        for (int i = 0, n = X.length(); i < n; i++) acc += X.get(i);
        return acc;
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        double total = 0;
        for (Tensor t : xs) {
            CpuTensor X = c(t);
            int n = X.length(), end = bound(n);
            // Blocks of float vector sums, each added into a double: fast and accurate to float rounding per block.
            for (int i = 0; i < end; ) {
                int stop = Math.min(end, i + 4096);
                FloatVector acc = splat(0f);
                for (; i < stop; i += L) {
                    FloatVector v = load(X, i);
                    acc = v.fma(v, acc);
                }
                total += acc.reduceLanes(VectorOperators.ADD);
            }
            for (int i = end; i < n; i++) total += (double) X.get(i) * X.get(i);
        }
        return total;
    }

    // ------------------------------------------------------------------ element-wise

    // Element-wise kernels: one small loop each (see Vec for why they are not one loop with a switch),
    // split across the cores for large tensors.

    private interface RangeOp {
        void run(CpuTensor a, CpuTensor b, CpuTensor out, int from, int to);
    }

    private static void pointwise(Tensor a, Tensor b, Tensor out, RangeOp op) {
        CpuTensor A = c(a), B = c(b), O = c(out);
        Parallel.forEach(O.length(), 1, (chunk, from, to) -> op.run(A, B, O, from, to));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        pointwise(a, b, out, Pointwise::add);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        pointwise(a, b, out, Pointwise::mul);
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        pointwise(x, y, y, (X, Y, O, from, to) -> Pointwise.axpby(alpha, X, beta, Y, from, to));
    }

    @Override
    public void scaleRows(Tensor x, int rows, int cols, Tensor s) {
        CpuTensor X = c(x), S = c(s);
        int end = bound(cols);
        for (int r = 0; r < rows; r++) {
            float f = S.get(r);
            int o = r * cols;
            for (int i = 0; i < end; i += L) store(load(X, o + i).mul(f), X, o + i);
            for (int i = end; i < cols; i++) X.set(o + i, X.get(o + i) * f);
        }
    }

    @Override
    public void tanh(Tensor x, Tensor y) {
        pointwise(x, x, y, Pointwise::tanh);
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        pointwise(y, dy, dx, Pointwise::tanhBackward);
    }

    @Override
    public void sigmoid(Tensor x, Tensor y) {
        pointwise(x, x, y, Pointwise::sigmoid);
    }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx) {
        pointwise(y, dy, dx, Pointwise::sigmoidBackward);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        pointwise(x, x, y, Pointwise::relu);
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        pointwise(y, dy, dx, Pointwise::reluBackward);
    }

    @Override
    public void gelu(Tensor x, Tensor y) {
        pointwise(x, x, y, Pointwise::gelu);
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        pointwise(x, dy, dx, Pointwise::geluBackward);
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        CpuTensor X = c(x), Y = c(y), M = c(mask);
        float keep = 1f / (1f - p);
        Parallel.forEach(Y.length(), 2, (chunk, from, to) -> Pointwise.dropout(X, Y, M, p, keep, seed, from, to));
    }

    // ------------------------------------------------------------------ normalisation, softmax, loss

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor mean, Tensor rstd, int rows, int cols, float eps) {
        RowKernels.layerNorm(c(x), c(gamma), c(beta), c(y), c(mean), c(rstd), rows, cols, eps);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta, int rows, int cols) {
        RowKernels.layerNormBackward(c(dy), c(x), c(gamma), c(mean), c(rstd), c(dx), c(dGamma), c(dBeta), rows, cols);
    }

    @Override
    public void softmax(Tensor x, Tensor y, int rows, int cols, float scale) {
        RowKernels.softmax(c(x), c(y), rows, cols, scale, false);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, int rows, int cols, float scale) {
        RowKernels.softmaxBackward(c(y), c(dy), c(dx), rows, cols, scale);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y, int rows, int cols) {
        RowKernels.softmax(c(x), c(y), rows, cols, 1f, true);
    }

    @Override
    public void argmaxRows(Tensor x, int rows, int cols, Tensor idx) {
        CpuTensor X = c(x), I = c(idx);
        Parallel.forEach(rows, cols, (chunk, from, to) -> {
            for (int r = from; r < to; r++) I.buf.putInt(I.at(r), RowKernels.argmax(X, r * cols, cols));
        });
    }

    @Override
    public void topK(Tensor x, int rows, int cols, int k, Tensor values, Tensor indices) {
        CpuTensor X = c(x), V = c(values), I = c(indices);
        if (k == 1) { // greedy decoding's every step: a vector scan, not the insertion below
            Parallel.forEach(rows, cols, (chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    int at = RowKernels.argmax(X, r * cols, cols);
                    V.set(r, X.get(r * cols + at));
                    I.buf.putInt(I.at(r), at);
                }
            });
            return;
        }
        Parallel.forEach(rows, cols, (chunk, from, to) -> {
            float[] best = new float[k];
            int[] at = new int[k];
            for (int r = from; r < to; r++) {
                int kept = 0;
                for (int col = 0; col < cols; col++) {
                    float v = X.get(r * cols + col);
                    if (kept == k && v <= best[k - 1]) continue;
                    // Insert after every kept value >= v, so equal values keep column order.
                    int j = kept == k ? k - 1 : kept++;
                    while (j > 0 && best[j - 1] < v) {
                        best[j] = best[j - 1];
                        at[j] = at[j - 1];
                        j--;
                    }
                    best[j] = v;
                    at[j] = col;
                }
                for (int j = 0; j < k; j++) {
                    V.set(r * k + j, best[j]);
                    I.buf.putInt(I.at(r * k + j), at[j]);
                }
            }
        });
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int rows, int cols, int ignoreIndex, float eps,
                             Tensor losses, Tensor dLogits, float gradScale) {
        RowKernels.crossEntropy(c(logits), c(targets), rows, cols, ignoreIndex, eps, c(losses),
                dLogits == null ? null : c(dLogits), gradScale);
    }

    // ------------------------------------------------------------------ lookups

    @Override
    public void embedding(Tensor table, Tensor ids, int n, int dim, Tensor out, int ldOut) {
        CpuTensor W = c(table), I = c(ids), O = c(out);
        for (int r = 0; r < n; r++) copyRow(W, I.id(r) * dim, O, r * ldOut, dim);
    }

    @Override
    public void embeddingBackward(Tensor dOut, int ldOut, Tensor ids, int n, int dim, Tensor dTable) {
        CpuTensor G = c(dOut), I = c(ids), D = c(dTable);
        int end = bound(dim);
        for (int r = 0; r < n; r++) {
            int row = I.id(r) * dim, src = r * ldOut;
            for (int i = 0; i < end; i += L) store(load(D, row + i).add(load(G, src + i)), D, row + i);
            for (int i = end; i < dim; i++) D.set(row + i, D.get(row + i) + G.get(src + i));
        }
    }

    @Override
    public void patchify(Tensor images, int batch, int channels, int height, int width, int p, Tensor out) {
        CpuTensor X = c(images), O = c(out);
        int ph = height / p, pw = width / p, row = channels * p * p;
        Parallel.forEach(batch, (long) channels * height * width, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                for (int py = 0; py < ph; py++) {
                    for (int px = 0; px < pw; px++) {
                        int o = ((b * ph + py) * pw + px) * row;
                        for (int ch = 0; ch < channels; ch++) {
                            for (int y = 0; y < p; y++) {
                                copyRow(X, ((b * channels + ch) * height + py * p + y) * width + px * p, O, o + (ch * p + y) * p, p);
                            }
                        }
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ recurrent cells and attention

    @Override
    public void lstmCell(Tensor gates, Tensor biasIh, Tensor biasHh, Tensor cPrev, Tensor h, Tensor c, Tensor acts, int batch, int hidden) {
        RecurrentKernels.lstmCell(c(gates), c(biasIh), c(biasHh), c(cPrev), c(h), c(c), c(acts), batch, hidden);
    }

    @Override
    public void lstmCellBackward(Tensor acts, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates, int batch, int hidden) {
        RecurrentKernels.lstmCellBackward(c(acts), c(cPrev), c(c), c(dh), c(dc), c(dGates), batch, hidden);
    }

    @Override
    public void attention(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc,
                          Tensor u, Tensor alpha, Tensor ctx, int batch, int tokens, int att, int dim) {
        RecurrentKernels.attention(c(encProj), c(decProj), c(w), c(b), c(enc), c(u), c(alpha), c(ctx), batch, tokens, att, dim);
    }

    @Override
    public void attentionStep(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc, Tensor alpha, Tensor ctx,
                              int rows, int share, int tokens, int att, int dim) {
        RecurrentKernels.attentionStep(c(encProj), c(decProj), c(w), c(b), c(enc), c(alpha), c(ctx), rows, share, tokens, att, dim);
    }

    @Override
    public void attentionBackward(Tensor u, Tensor alpha, Tensor enc, Tensor w, Tensor dCtx, Tensor dAlpha,
                                  Tensor dEncProj, Tensor dDecProj, Tensor dW, Tensor dB, Tensor dEnc,
                                  int batch, int tokens, int att, int dim) {
        RecurrentKernels.attentionBackward(c(u), c(alpha), c(enc), c(w), c(dCtx), dAlpha == null ? null : c(dAlpha),
                c(dEncProj), c(dDecProj), c(dW), c(dB), c(dEnc), batch, tokens, att, dim);
    }

    // ------------------------------------------------------------------ optimiser

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                      float weightDecay, int step, float gradScale) {
        CpuTensor P = c(param), G = c(grad), M = c(m), V = c(v);
        float bc1 = (float) (1 - Math.pow(beta1, step)), sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float decay = 1 - lr * weightDecay, stepSize = lr / bc1;
        Parallel.forEach(P.length(), 8, (chunk, from, to) -> {
            int i = from, end = from + bound(to - from);
            for (; i < end; i += L) {
                FloatVector g = load(G, i).mul(gradScale);
                FloatVector mk = load(M, i).mul(beta1).add(g.mul(1 - beta1));
                FloatVector vk = load(V, i).mul(beta2).add(g.mul(g).mul(1 - beta2));
                store(mk, M, i);
                store(vk, V, i);
                FloatVector denom = vk.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
                store(load(P, i).mul(decay).sub(mk.mul(stepSize).div(denom)), P, i);
            }
            for (; i < to; i++) {
                float g = G.get(i) * gradScale;
                float mk = beta1 * M.get(i) + (1 - beta1) * g, vk = beta2 * V.get(i) + (1 - beta2) * g * g;
                M.set(i, mk);
                V.set(i, vk);
                P.set(i, P.get(i) * decay - stepSize * mk / ((float) Math.sqrt(vk) / sqrtBc2 + eps));
            }
        });
    }

    @Override
    public void close() {
        pool.clear();
    }
}
