package dev.vitcap.kernel;

import java.util.List;

/**
 * The {@code reference} backend: every kernel as the plainest Java loop, accumulating in double.
 * It is the oracle the other backends are tested against and the fallback of last resort, so it is
 * written for obviousness, never for speed.
 */
public final class ReferenceKernels implements Kernels {

    /** Host arrays plus an offset; views share the array. */
    static final class HostTensor extends ShapedTensor {
        final float[] f;
        final int[] i;
        final int offset;

        HostTensor(DType dtype, float[] f, int[] i, int offset, int[] shape) {
            super(dtype, shape);
            this.f = f;
            this.i = i;
            this.offset = offset;
        }

        @Override
        public Tensor view(long offset, int... shape) {
            HostTensor v = new HostTensor(dtype(), f, i, Math.toIntExact(this.offset + offset), shape);
            return inBounds(v, offset, v.offset, dtype() == DType.F32 ? f.length : i.length);
        }

        @Override
        public void close() {
        }

        float get(long k) {
            return f[offset + (int) k];
        }

        void set(long k, float v) {
            f[offset + (int) k] = v;
        }

        void inc(long k, double v) {
            f[offset + (int) k] += (float) v;
        }

        int id(long k) {
            return i[offset + (int) k];
        }
    }

    private static HostTensor h(Tensor t) {
        return (HostTensor) t;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Tensor empty(DType dtype, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        int size = Math.toIntExact(n);
        return dtype == DType.F32
                ? new HostTensor(dtype, new float[size], null, 0, shape)
                : new HostTensor(dtype, null, new int[size], 0, shape);
    }

    @Override
    public void write(Tensor dst, float[] src) {
        HostTensor d = h(dst);
        System.arraycopy(src, 0, d.f, d.offset, Math.toIntExact(d.size()));
    }

    @Override
    public void writeInts(Tensor dst, int[] src) {
        HostTensor d = h(dst);
        System.arraycopy(src, 0, d.i, d.offset, Math.toIntExact(d.size()));
    }

    @Override
    public void read(Tensor src, float[] dst) {
        HostTensor s = h(src);
        System.arraycopy(s.f, s.offset, dst, 0, Math.toIntExact(s.size()));
    }

    @Override
    public void readInts(Tensor src, int[] dst) {
        HostTensor s = h(src);
        System.arraycopy(s.i, s.offset, dst, 0, Math.toIntExact(s.size()));
    }

    @Override
    public void fill(Tensor t, float value) {
        HostTensor x = h(t);
        for (long k = 0; k < x.size(); k++) x.set(k, value);
    }

    @Override
    public void copy2d(int rows, int cols, Tensor src, int srcLd, Tensor dst, int dstLd) {
        HostTensor s = h(src), d = h(dst);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) d.set((long) r * dstLd + c, s.get((long) r * srcLd + c));
        }
    }

    @Override
    public void gatherRows(int rows, int cols, Tensor src, Tensor idx, Tensor dst) {
        HostTensor s = h(src), ix = h(idx), d = h(dst);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) d.set((long) r * cols + c, s.get((long) ix.id(r) * cols + c));
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Tensor a, int lda, Tensor b, int ldb, float beta, Tensor c, int ldc) {
        gemmBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, int lda, long strideA, Tensor b, int ldb, long strideB,
                            float beta, Tensor c, int ldc, long strideC, int batch) {
        HostTensor A = h(a), B = h(b), C = h(c);
        for (int p = 0; p < batch; p++) {
            long oa = p * strideA, ob = p * strideB, oc = p * strideC;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        float av = transA ? A.get(oa + (long) q * lda + i) : A.get(oa + (long) i * lda + q);
                        float bv = transB ? B.get(ob + (long) j * ldb + q) : B.get(ob + (long) q * ldb + j);
                        acc += (double) av * bv;
                    }
                    long at = oc + (long) i * ldc + j;
                    // beta = 0 must ignore what C held (it may be uninitialised, even NaN), as BLAS does.
                    double old = beta == 0f ? 0 : beta * (double) C.get(at);
                    C.set(at, (float) (alpha * acc + old));
                }
            }
        }
    }

    @Override
    public void addBias(Tensor y, int rows, int cols, Tensor bias) {
        HostTensor Y = h(y), b = h(bias);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) Y.inc((long) r * cols + c, b.get(c));
        }
    }

    @Override
    public void sumRows(Tensor x, int rows, int cols, Tensor out) {
        HostTensor X = h(x), o = h(out);
        for (int c = 0; c < cols; c++) {
            double acc = 0;
            for (int r = 0; r < rows; r++) acc += X.get((long) r * cols + c);
            o.inc(c, acc);
        }
    }

    @Override
    public void meanTokens(Tensor x, int batch, int tokens, int dim, Tensor out) {
        HostTensor X = h(x), o = h(out);
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < dim; d++) {
                double acc = 0;
                for (int n = 0; n < tokens; n++) acc += X.get(((long) b * tokens + n) * dim + d);
                o.set((long) b * dim + d, (float) (acc / tokens));
            }
        }
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int batch, int tokens, int dim, Tensor dx) {
        HostTensor g = h(dOut), d = h(dx);
        for (int b = 0; b < batch; b++) {
            for (int n = 0; n < tokens; n++) {
                for (int c = 0; c < dim; c++) d.inc(((long) b * tokens + n) * dim + c, g.get((long) b * dim + c) / (double) tokens);
            }
        }
    }

    @Override
    public double sum(Tensor x) {
        HostTensor X = h(x);
        double acc = 0;
        for (long k = 0; k < X.size(); k++) acc += X.get(k);
        return acc;
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        double acc = 0;
        for (Tensor t : xs) {
            HostTensor X = h(t);
            for (long k = 0; k < X.size(); k++) acc += (double) X.get(k) * X.get(k);
        }
        return acc;
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        HostTensor A = h(a), B = h(b), o = h(out);
        for (long k = 0; k < o.size(); k++) o.set(k, A.get(k) + B.get(k));
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        HostTensor A = h(a), B = h(b), o = h(out);
        for (long k = 0; k < o.size(); k++) o.set(k, A.get(k) * B.get(k));
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        HostTensor X = h(x), Y = h(y);
        for (long k = 0; k < Y.size(); k++) Y.set(k, alpha * X.get(k) + (beta == 0f ? 0f : beta * Y.get(k)));
    }

    @Override
    public void scaleRows(Tensor x, int rows, int cols, Tensor s) {
        HostTensor X = h(x), S = h(s);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) X.set((long) r * cols + c, X.get((long) r * cols + c) * S.get(r));
        }
    }

    @Override
    public void tanh(Tensor x, Tensor y) {
        HostTensor X = h(x), Y = h(y);
        for (long k = 0; k < Y.size(); k++) Y.set(k, (float) Math.tanh(X.get(k)));
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        HostTensor Y = h(y), G = h(dy), D = h(dx);
        for (long k = 0; k < D.size(); k++) D.set(k, G.get(k) * (1 - Y.get(k) * Y.get(k)));
    }

    @Override
    public void sigmoid(Tensor x, Tensor y) {
        HostTensor X = h(x), Y = h(y);
        for (long k = 0; k < Y.size(); k++) Y.set(k, (float) sigmoid(X.get(k)));
    }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx) {
        HostTensor Y = h(y), G = h(dy), D = h(dx);
        for (long k = 0; k < D.size(); k++) D.set(k, G.get(k) * Y.get(k) * (1 - Y.get(k)));
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        HostTensor X = h(x), Y = h(y);
        for (long k = 0; k < Y.size(); k++) Y.set(k, Math.max(0f, X.get(k)));
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        HostTensor Y = h(y), G = h(dy), D = h(dx);
        for (long k = 0; k < D.size(); k++) D.set(k, Y.get(k) > 0 ? G.get(k) : 0f);
    }

    @Override
    public void gelu(Tensor x, Tensor y) {
        HostTensor X = h(x), Y = h(y);
        for (long k = 0; k < Y.size(); k++) {
            double v = X.get(k);
            Y.set(k, (float) (v * 0.5 * (1 + Erf.erf(v / Math.sqrt(2)))));
        }
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        HostTensor X = h(x), G = h(dy), D = h(dx);
        for (long k = 0; k < D.size(); k++) {
            double v = X.get(k);
            double cdf = 0.5 * (1 + Erf.erf(v / Math.sqrt(2)));
            double pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
            D.set(k, (float) (G.get(k) * (cdf + v * pdf)));
        }
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        HostTensor X = h(x), Y = h(y), M = h(mask);
        float keep = 1f / (1f - p);
        for (long k = 0; k < Y.size(); k++) {
            float m = DropoutHash.uniform(seed, k) < p ? 0f : keep;
            M.set(k, m);
            Y.set(k, X.get(k) * m);
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor mean, Tensor rstd,
                          int rows, int cols, float eps) {
        HostTensor X = h(x), G = h(gamma), B = h(beta), Y = h(y), M = h(mean), R = h(rstd);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            double mu = 0;
            for (int c = 0; c < cols; c++) mu += X.get(o + c);
            mu /= cols;
            double var = 0;
            for (int c = 0; c < cols; c++) var += (X.get(o + c) - mu) * (X.get(o + c) - mu);
            var /= cols;
            double rs = 1 / Math.sqrt(var + eps);
            for (int c = 0; c < cols; c++) Y.set(o + c, (float) ((X.get(o + c) - mu) * rs * G.get(c) + B.get(c)));
            M.set(r, (float) mu);
            R.set(r, (float) rs);
        }
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta, int rows, int cols) {
        HostTensor DY = h(dy), X = h(x), G = h(gamma), M = h(mean), R = h(rstd), DX = h(dx), DG = h(dGamma), DB = h(dBeta);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            double mu = M.get(r), rs = R.get(r);
            double meanG = 0, meanGX = 0;
            for (int c = 0; c < cols; c++) {
                double xhat = (X.get(o + c) - mu) * rs;
                double g = DY.get(o + c) * G.get(c);
                meanG += g;
                meanGX += g * xhat;
                DG.inc(c, DY.get(o + c) * xhat);
                DB.inc(c, DY.get(o + c));
            }
            meanG /= cols;
            meanGX /= cols;
            for (int c = 0; c < cols; c++) {
                double xhat = (X.get(o + c) - mu) * rs;
                double g = DY.get(o + c) * G.get(c);
                DX.inc(o + c, (g - meanG - xhat * meanGX) * rs);
            }
        }
    }

    @Override
    public void softmax(Tensor x, Tensor y, int rows, int cols, float scale) {
        HostTensor X = h(x), Y = h(y);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, scale * (double) X.get(o + c));
            double z = 0;
            for (int c = 0; c < cols; c++) z += Math.exp(scale * (double) X.get(o + c) - max);
            for (int c = 0; c < cols; c++) Y.set(o + c, (float) (Math.exp(scale * (double) X.get(o + c) - max) / z));
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, int rows, int cols, float scale) {
        HostTensor Y = h(y), G = h(dy), D = h(dx);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) Y.get(o + c) * G.get(o + c);
            for (int c = 0; c < cols; c++) D.set(o + c, (float) (scale * Y.get(o + c) * (G.get(o + c) - dot)));
        }
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y, int rows, int cols) {
        HostTensor X = h(x), Y = h(y);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            double lse = logSumExp(X, o, cols);
            for (int c = 0; c < cols; c++) Y.set(o + c, (float) (X.get(o + c) - lse));
        }
    }

    @Override
    public void argmaxRows(Tensor x, int rows, int cols, Tensor idx) {
        HostTensor X = h(x), I = h(idx);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) if (X.get((long) r * cols + c) > X.get((long) r * cols + best)) best = c;
            I.i[I.offset + r] = best;
        }
    }

    @Override
    public void topK(Tensor x, int rows, int cols, int k, Tensor values, Tensor indices) {
        HostTensor X = h(x), V = h(values), I = h(indices);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            Integer[] order = new Integer[cols];
            for (int c = 0; c < cols; c++) order[c] = c;
            java.util.Arrays.sort(order, (p, q) -> Float.compare(X.get(o + q), X.get(o + p))); // stable: ties keep column order
            for (int j = 0; j < k; j++) {
                V.set((long) r * k + j, X.get(o + order[j]));
                I.i[I.offset + r * k + j] = order[j];
            }
        }
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int rows, int cols, int ignoreIndex, float eps,
                             Tensor losses, Tensor dLogits, float gradScale) {
        HostTensor X = h(logits), T = h(targets), L = h(losses);
        HostTensor D = dLogits == null ? null : h(dLogits);
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols;
            int target = T.id(r);
            if (target == ignoreIndex) {
                L.set(r, 0f);
                if (D != null) for (int c = 0; c < cols; c++) D.set(o + c, 0f);
                continue;
            }
            double lse = logSumExp(X, o, cols);
            double loss = 0;
            for (int c = 0; c < cols; c++) {
                double q = (c == target ? 1 - eps : 0) + eps / cols;
                loss -= q * (X.get(o + c) - lse);
                if (D != null) D.set(o + c, (float) (gradScale * (Math.exp(X.get(o + c) - lse) - q)));
            }
            L.set(r, (float) loss);
        }
    }

    @Override
    public void embedding(Tensor table, Tensor ids, int n, int dim, Tensor out, int ldOut) {
        HostTensor W = h(table), I = h(ids), O = h(out);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < dim; c++) O.set((long) r * ldOut + c, W.get((long) I.id(r) * dim + c));
        }
    }

    @Override
    public void embeddingBackward(Tensor dOut, int ldOut, Tensor ids, int n, int dim, Tensor dTable) {
        HostTensor G = h(dOut), I = h(ids), D = h(dTable);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < dim; c++) D.inc((long) I.id(r) * dim + c, G.get((long) r * ldOut + c));
        }
    }

    @Override
    public void patchify(Tensor images, int batch, int channels, int height, int width, int p, Tensor out) {
        HostTensor X = h(images), O = h(out);
        int ph = height / p, pw = width / p, row = channels * p * p;
        for (int b = 0; b < batch; b++) {
            for (int py = 0; py < ph; py++) {
                for (int px = 0; px < pw; px++) {
                    long o = ((long) b * ph * pw + (long) py * pw + px) * row;
                    int col = 0;
                    for (int ch = 0; ch < channels; ch++) {
                        for (int y = 0; y < p; y++) {
                            for (int x = 0; x < p; x++) {
                                O.set(o + col++, X.get((((long) b * channels + ch) * height + py * p + y) * width + px * p + x));
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void lstmCell(Tensor gates, Tensor biasIh, Tensor biasHh, Tensor cPrev, Tensor h, Tensor c, Tensor acts,
                         int batch, int hidden) {
        HostTensor G = h(gates), B1 = h(biasIh), B2 = h(biasHh), CP = h(cPrev), H = h(h), C = h(c), A = h(acts);
        for (int b = 0; b < batch; b++) {
            long g = (long) b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(pre(G, B1, B2, g, j));
                double f = sigmoid(pre(G, B1, B2, g, hidden + j));
                double gg = Math.tanh(pre(G, B1, B2, g, 2 * hidden + j));
                double o = sigmoid(pre(G, B1, B2, g, 3 * hidden + j));
                double cNew = f * CP.get((long) b * hidden + j) + i * gg;
                C.set((long) b * hidden + j, (float) cNew);
                H.set((long) b * hidden + j, (float) (o * Math.tanh(cNew)));
                A.set(g + j, (float) i);
                A.set(g + hidden + j, (float) f);
                A.set(g + 2 * hidden + j, (float) gg);
                A.set(g + 3 * hidden + j, (float) o);
            }
        }
    }

    private static double pre(HostTensor gates, HostTensor b1, HostTensor b2, long rowOffset, int unit) {
        return (double) gates.get(rowOffset + unit) + b1.get(unit) + b2.get(unit);
    }

    @Override
    public void lstmCellBackward(Tensor acts, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates,
                                 int batch, int hidden) {
        HostTensor A = h(acts), CP = h(cPrev), C = h(c), DH = h(dh), DC = h(dc), DG = h(dGates);
        for (int b = 0; b < batch; b++) {
            long g = (long) b * 4 * hidden;
            for (int j = 0; j < hidden; j++) {
                long s = (long) b * hidden + j;
                double i = A.get(g + j), f = A.get(g + hidden + j), gg = A.get(g + 2 * hidden + j), o = A.get(g + 3 * hidden + j);
                double tc = Math.tanh(C.get(s));
                double dct = DC.get(s) + DH.get(s) * o * (1 - tc * tc);
                DG.set(g + j, (float) (dct * gg * i * (1 - i)));
                DG.set(g + hidden + j, (float) (dct * CP.get(s) * f * (1 - f)));
                DG.set(g + 2 * hidden + j, (float) (dct * i * (1 - gg * gg)));
                DG.set(g + 3 * hidden + j, (float) (DH.get(s) * tc * o * (1 - o)));
                DC.set(s, (float) (dct * f));
            }
        }
    }

    @Override
    public void attention(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc,
                          Tensor u, Tensor alpha, Tensor ctx, int batch, int tokens, int att, int dim) {
        HostTensor P = h(encProj), Q = h(decProj), W = h(w), Bb = h(b), X = h(enc), U = h(u), AL = h(alpha), CT = h(ctx);
        double[] e = new double[tokens];
        for (int bi = 0; bi < batch; bi++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int n = 0; n < tokens; n++) {
                double acc = Bb.get(0);
                for (int a = 0; a < att; a++) {
                    long at = ((long) bi * tokens + n) * att + a;
                    double t = Math.tanh((double) P.get(at) + Q.get((long) bi * att + a));
                    U.set(at, (float) t);
                    acc += t * W.get(a);
                }
                e[n] = acc;
                max = Math.max(max, acc);
            }
            double z = 0;
            for (int n = 0; n < tokens; n++) z += Math.exp(e[n] - max);
            for (int n = 0; n < tokens; n++) AL.set((long) bi * tokens + n, (float) (Math.exp(e[n] - max) / z));
            for (int d = 0; d < dim; d++) {
                double acc = 0;
                for (int n = 0; n < tokens; n++) acc += (double) AL.get((long) bi * tokens + n) * X.get(((long) bi * tokens + n) * dim + d);
                CT.set((long) bi * dim + d, (float) acc);
            }
        }
    }

    @Override
    public void attentionBackward(Tensor u, Tensor alpha, Tensor enc, Tensor w, Tensor dCtx, Tensor dAlpha,
                                  Tensor dEncProj, Tensor dDecProj, Tensor dW, Tensor dB, Tensor dEnc,
                                  int batch, int tokens, int att, int dim) {
        HostTensor U = h(u), AL = h(alpha), X = h(enc), W = h(w), DC = h(dCtx), DP = h(dEncProj), DQ = h(dDecProj),
                DW = h(dW), DB = h(dB), DX = h(dEnc);
        HostTensor DA = dAlpha == null ? null : h(dAlpha);
        double[] da = new double[tokens];
        for (int bi = 0; bi < batch; bi++) {
            double dot = 0;
            for (int n = 0; n < tokens; n++) {
                double acc = DA == null ? 0 : DA.get((long) bi * tokens + n);
                for (int d = 0; d < dim; d++) {
                    long xi = ((long) bi * tokens + n) * dim + d;
                    acc += (double) DC.get((long) bi * dim + d) * X.get(xi);
                    DX.inc(xi, (double) AL.get((long) bi * tokens + n) * DC.get((long) bi * dim + d));
                }
                da[n] = acc;
                dot += acc * AL.get((long) bi * tokens + n);
            }
            for (int a = 0; a < att; a++) DQ.set((long) bi * att + a, 0f);
            for (int n = 0; n < tokens; n++) {
                double de = AL.get((long) bi * tokens + n) * (da[n] - dot);
                DB.inc(0, de);
                for (int a = 0; a < att; a++) {
                    long at = ((long) bi * tokens + n) * att + a;
                    double t = U.get(at);
                    DW.inc(a, de * t);
                    double dPre = de * W.get(a) * (1 - t * t);
                    DP.inc(at, dPre);
                    DQ.inc((long) bi * att + a, dPre);
                }
            }
        }
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                      float weightDecay, int step, float gradScale) {
        HostTensor P = h(param), G = h(grad), M = h(m), V = h(v);
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        for (long k = 0; k < P.size(); k++) {
            double g = (double) G.get(k) * gradScale;
            double mk = beta1 * (double) M.get(k) + (1 - beta1) * g;
            double vk = beta2 * (double) V.get(k) + (1 - beta2) * g * g;
            M.set(k, (float) mk);
            V.set(k, (float) vk);
            double p = P.get(k) * (1 - (double) lr * weightDecay);
            P.set(k, (float) (p - lr / bc1 * mk / (Math.sqrt(vk) / Math.sqrt(bc2) + eps)));
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logSumExp(HostTensor x, long offset, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) max = Math.max(max, x.get(offset + c));
        double z = 0;
        for (int c = 0; c < cols; c++) z += Math.exp(x.get(offset + c) - max);
        return max + Math.log(z);
    }
}
