package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.List;
import java.util.Random;

/**
 * Show, Attend and Tell with the β gate, names as the PyTorch twin's: at each step additive
 * attention over the encoder tokens reads a context, gated by {@code σ(f_beta(h))}, which joins the
 * word embedding as the LSTM cell's input; {@code out(dropout(h))} gives the next word's logits.
 *
 * <p>Only what depends on the previous step runs per step. The word embeddings, the output layer,
 * and every weight gradient are single products over all steps.
 */
public final class AttentionDecoder implements Decoder {
    private final DecoderConfig c;
    private final int dim;
    private final Param emb, wIh, wHh, bIh, bHh;
    private final Linear encAtt, decAtt, fullAtt, initH, initC, fBeta, out;

    public AttentionDecoder(ParamSet ps, DecoderConfig c, int dim, Random rng) {
        this.c = c;
        this.dim = dim;
        int e = c.emb(), h = c.hidden(), at = c.att();
        emb = ps.add("emb.weight", new Init.TruncNormal(1.0), rng, c.vocab(), e);
        encAtt = new Linear(ps, "enc_att", dim, at, rng);
        decAtt = new Linear(ps, "dec_att", h, at, rng);
        fullAtt = new Linear(ps, "full_att", at, 1, rng);
        initH = new Linear(ps, "init_h", dim, h, rng);
        initC = new Linear(ps, "init_c", dim, h, rng);
        fBeta = new Linear(ps, "f_beta", h, dim, rng);
        Init cell = Init.fanIn(h);
        wIh = ps.add("cell.weight_ih", cell, rng, 4 * h, e + dim);
        wHh = ps.add("cell.weight_hh", cell, rng, 4 * h, h);
        bIh = ps.add("cell.bias_ih", cell, rng, 4 * h);
        bHh = ps.add("cell.bias_hh", cell, rng, 4 * h);
        out = new Linear(ps, "out", h, c.vocab(), rng);
    }

    @Override
    public DecoderConfig config() {
        return c;
    }

    /** Everything the backward pass reads; per-step tensors are stacked time-major. */
    private record Saved(double loss, double crossEntropy, Tensor logits, Tensor dLogits, CaptionBatch cap, PassOptions options,
                         Tensor enc, int tokens, Tensor mean, Tensor encProj, Tensor hs, Tensor cs, Tensor xin, Tensor u,
                         Tensor alphas, Tensor ctxRaw, Tensor gate, Tensor acts, Tensor hOut, Tensor dropMask,
                         Tensor dAlpha) implements Pass {
        @Override
        public Tensor attention() {
            return alphas;
        }
    }

    @Override
    public Pass forward(Arena a, Tensor enc, int tokens, CaptionBatch cap, PassOptions o) {
        Kernels k = a.kernels();
        int b = cap.batch(), s = cap.steps(), h = c.hidden(), e = c.emb(), at = c.att(), in = e + dim, rows = s * b;
        Tensor mean = a.f32(b, dim);
        k.meanTokens(enc, b, tokens, dim, mean);
        Tensor hs = a.f32(s + 1, b, h), cs = a.f32(s + 1, b, h);
        initState(k, mean, b, hs.view(0, b, h), cs.view(0, b, h));
        Tensor encProj = a.f32(b * tokens, at);
        encAtt.forward(k, enc, b * tokens, encProj);
        Tensor xin = a.f32(rows, in);
        k.embedding(emb.value(), cap.inputs(), rows, e, xin, in);
        Tensor u = a.f32(s, b, tokens, at), alphas = a.f32(s, b, tokens), ctxRaw = a.f32(s, b, dim), gate = a.f32(s, b, dim);
        Tensor acts = a.f32(s, b, 4 * h), q = a.f32(b, at), ctx = a.f32(b, dim);
        // The embeddings' share of every step's gates in one product; each step adds the context's and h's.
        k.gemm(false, true, rows, 4 * h, e, 1f, xin, in, wIh.value(), in, 0f, acts, 4 * h);
        StepWeights w = StepWeights.prepare(a, this, b);
        for (int t = 0; t < s; t++) {
            Tensor hPrev = hs.view((long) t * b * h, b, h);
            Tensor gt = gate.view((long) t * b * dim, b, dim), raw = ctxRaw.view((long) t * b * dim, b, dim);
            decAtt.forwardPrepared(k, w.decAtt(), hPrev, b, q);
            k.attention(encProj, q, fullAtt.weight.value(), fullAtt.bias.value(), enc, u.view((long) t * b * tokens * at, b, tokens, at),
                    alphas.view((long) t * b * tokens, b, tokens), raw, b, tokens, at, dim);
            fBeta.forwardPrepared(k, w.fBeta(), hPrev, b, gt);
            k.sigmoid(gt, gt);
            k.mul(raw, gt, ctx);
            k.copy2d(b, dim, ctx, dim, xin.from((long) t * b * in + e), in);
            Tensor gates = acts.view((long) t * b * 4 * h, b, 4 * h);
            k.gemmPrepared(b, xin.from((long) t * b * in + e), in, w.contextGates(), 1f, gates, 4 * h);
            k.gemmPrepared(b, hPrev, h, w.hiddenGates(), 1f, gates, 4 * h);
            k.lstmCell(gates, bIh.value(), bHh.value(), cs.view((long) t * b * h, b, h),
                    hs.view((long) (t + 1) * b * h, b, h), cs.view((long) (t + 1) * b * h, b, h), gates, b, h);
        }
        Tensor hOut = hs.from((long) b * h);
        Tensor dropMask = null, hDrop = hOut;
        if (o.training() && c.dropout() > 0) {
            dropMask = a.f32(rows, h);
            hDrop = a.f32(rows, h);
            k.dropout(hOut, hDrop, dropMask, c.dropout(), o.seed());
        }
        Tensor logits = a.f32(rows, c.vocab());
        out.forward(k, hDrop, rows, logits);
        CaptionLoss ce = CaptionLoss.of(a, logits, cap, c.vocab(), o.labelSmoothing());
        double reg = 0;
        Tensor dAlpha = null;
        if (o.attentionReg() > 0) {
            // λ · mean over images and tokens of (1 − Σ_t α_t)², the sum over real steps only.
            Tensor total = a.zeros(b, tokens), masked = a.f32(b, tokens);
            for (int t = 0; t < s; t++) {
                k.copy2d(b, tokens, alphas.from((long) t * b * tokens), tokens, masked, tokens);
                k.scaleRows(masked, b, tokens, cap.real().view((long) t * b, b));
                k.add(total, masked, total);
            }
            Tensor resid = a.f32(b, tokens);
            k.fill(resid, 1f);
            k.axpby(-1f, total, 1f, resid);
            reg = o.attentionReg() * k.sumOfSquares(List.of(resid)) / ((double) b * tokens);
            dAlpha = a.f32(b, tokens);
            k.axpby(-2f * o.attentionReg() / ((float) b * tokens), resid, 0f, dAlpha);
        }
        return new Saved(ce.value() + reg, ce.value(), logits, ce.dLogits(), cap, o, enc, tokens, mean, encProj, hs, cs, xin, u,
                alphas, ctxRaw, gate, acts, hDrop, dropMask, dAlpha);
    }

    /** {@code h0 = tanh(init_h(m))}, {@code c0 = tanh(init_c(m))}. */
    private void initState(Kernels k, Tensor mean, int b, Tensor h0, Tensor c0) {
        initH.forward(k, mean, b, h0);
        k.tanh(h0, h0);
        initC.forward(k, mean, b, c0);
        k.tanh(c0, c0);
    }

    @Override
    public void backward(Arena a, Pass pass, Tensor dEnc) {
        Saved p = (Saved) pass;
        Kernels k = a.kernels();
        CaptionBatch cap = p.cap();
        int b = cap.batch(), s = cap.steps(), h = c.hidden(), e = c.emb(), at = c.att(), in = e + dim, rows = s * b, n = p.tokens();
        Tensor dHOut = a.f32(rows, h);
        out.backward(k, p.hOut(), p.dLogits(), rows, dHOut, 0f);
        if (p.dropMask() != null) k.mul(dHOut, p.dropMask(), dHOut);
        Tensor dGates = a.f32(s, b, 4 * h), dXin = a.f32(rows, in), dGpre = a.f32(s, b, dim), dQ = a.f32(s, b, at);
        Tensor dEncProj = a.zeros(b * n, at);
        Tensor dh = a.f32(b, h), dc = a.zeros(b, h), dhNext = a.zeros(b, h);
        Tensor dCtx = a.f32(b, dim), dRaw = a.f32(b, dim), dAlphaT = p.dAlpha() == null ? null : a.f32(b, n);
        // Each step's input gradients are products with the transposed weights, prepared once.
        Tensor ctxGatesT = a.keep(k.prepareWeight(wIh.value().from(e), dim, 4 * h, in, true, b));
        Tensor hiddenGatesT = a.keep(k.prepareWeight(wHh.value(), h, 4 * h, h, true, b));
        Tensor fBetaT = fBeta.prepareTransposed(a, b), decAttT = decAtt.prepareTransposed(a, b);
        for (int t = s - 1; t >= 0; t--) {
            Tensor dg = dGates.view((long) t * b * 4 * h, b, 4 * h), dx = dXin.from((long) t * b * in);
            Tensor gt = p.gate().view((long) t * b * dim, b, dim), dgp = dGpre.view((long) t * b * dim, b, dim);
            Tensor dq = dQ.view((long) t * b * at, b, at);
            k.add(dHOut.view((long) t * b * h, b, h), dhNext, dh);
            k.lstmCellBackward(p.acts().view((long) t * b * 4 * h, b, 4 * h), p.cs().view((long) t * b * h, b, h),
                    p.cs().view((long) (t + 1) * b * h, b, h), dh, dc, dg, b, h);
            // Only the context's share of the input gradient is needed now; the embeddings' comes after the loop.
            k.gemmPrepared(b, dg, 4 * h, ctxGatesT, 0f, dx.from(e), in);
            k.gemmPrepared(b, dg, 4 * h, hiddenGatesT, 0f, dhNext, h);
            k.copy2d(b, dim, dx.from(e), in, dCtx, dim);
            k.mul(dCtx, gt, dRaw);
            k.mul(dCtx, p.ctxRaw().view((long) t * b * dim, b, dim), dCtx);
            k.sigmoidBackward(gt, dCtx, dgp);
            fBeta.backwardInputPrepared(k, fBetaT, dgp, b, dhNext, 1f);
            if (dAlphaT != null) {
                k.copy2d(b, n, p.dAlpha(), n, dAlphaT, n);
                k.scaleRows(dAlphaT, b, n, cap.real().view((long) t * b, b));
            }
            k.attentionBackward(p.u().view((long) t * b * n * at, b, n, at), p.alphas().view((long) t * b * n, b, n), p.enc(),
                    fullAtt.weight.value(), dRaw, dAlphaT, dEncProj, dq, fullAtt.weight.grad(), fullAtt.bias.grad(), dEnc, b, n, at, dim);
            decAtt.backwardInputPrepared(k, decAttT, dq, b, dhNext, 1f);
        }
        k.gemm(false, false, rows, e, 4 * h, 1f, dGates, 4 * h, wIh.value(), in, 0f, dXin, in);
        Tensor hPrevAll = p.hs().view(0, s, b, h);
        k.gemm(true, false, 4 * h, in, rows, 1f, dGates, 4 * h, p.xin(), in, 1f, wIh.grad(), in);
        k.gemm(true, false, 4 * h, h, rows, 1f, dGates, 4 * h, hPrevAll, h, 1f, wHh.grad(), h);
        k.sumRows(dGates, rows, 4 * h, bIh.grad());
        k.sumRows(dGates, rows, 4 * h, bHh.grad());
        fBeta.backwardWeights(k, hPrevAll, h, dGpre, rows);
        decAtt.backwardWeights(k, hPrevAll, h, dQ, rows);
        k.embeddingBackward(dXin, in, cap.inputs(), rows, e, emb.grad());
        initStateBackward(a, p.mean(), p.hs().view(0, b, h), p.cs().view(0, b, h), dhNext, dc, b, n, dEnc);
        encAtt.backward(k, p.enc(), dEncProj, b * n, dEnc, 1f);
    }

    private void initStateBackward(Arena a, Tensor mean, Tensor h0, Tensor c0, Tensor dh0, Tensor dc0, int b, int n, Tensor dEnc) {
        Kernels k = a.kernels();
        Tensor dMean = a.f32(b, dim);
        k.tanhBackward(h0, dh0, dh0);
        initH.backward(k, mean, dh0, b, dMean, 0f);
        k.tanhBackward(c0, dc0, dc0);
        initC.backward(k, mean, dc0, b, dMean, 1f);
        k.meanTokensBackward(dMean, b, n, dim, dEnc);
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The weights of the products every step makes with its few rows, prepared once for a pass or a
     * decoding ({@link Kernels#prepareWeight}): {@code dec_att}, {@code f_beta}, and the LSTM's input
     * weights for the context and its recurrent weights.
     */
    private record StepWeights(Tensor decAtt, Tensor fBeta, Tensor contextGates, Tensor hiddenGates) {
        static StepWeights prepare(Arena a, AttentionDecoder d, int batch) {
            Kernels k = a.kernels();
            int h = d.c.hidden(), in = d.c.emb() + d.dim;
            return new StepWeights(d.decAtt.prepare(a, batch), d.fBeta.prepare(a, batch),
                    a.keep(k.prepareWeight(d.wIh.value().from(d.c.emb()), 4 * h, d.dim, in, false, batch)),
                    a.keep(k.prepareWeight(d.wHh.value(), 4 * h, h, h, false, batch)));
        }
    }

    /**
     * The recurrent state plus what is fixed for the decoding: the encoder tokens and their attention
     * projection, one copy per image serving {@code share} consecutive rows (a beam's hypotheses), and
     * the prepared weights.
     */
    private static final class Step extends LstmState {
        final int tokens, share;
        final Tensor enc, encProj, outWeight;
        final StepWeights weights;

        Step(Kernels k, int batch, int share, int tokens, Tensor enc, Tensor encProj, WordGates wordGates, StepWeights weights,
             Tensor outWeight, Tensor h, Tensor c) {
            super(k, batch, wordGates, h, c);
            this.tokens = tokens;
            this.share = share;
            this.enc = enc;
            this.encProj = encProj;
            this.weights = weights;
            this.outWeight = outWeight;
        }
    }

    @Override
    public State start(Arena a, Tensor enc, int batch, int tokens) {
        Kernels k = a.kernels();
        Tensor mean = a.f32(batch, dim), encProj = a.f32(batch * tokens, c.att());
        k.meanTokens(enc, batch, tokens, dim, mean);
        encAtt.forward(k, enc, batch * tokens, encProj);
        Tensor h = k.empty(DType.F32, batch, c.hidden()), cell = k.empty(DType.F32, batch, c.hidden());
        initState(k, mean, batch, h, cell);
        WordGates words = new WordGates(a, emb.value(), wIh.value(), c.vocab(), c.emb(), c.emb() + dim, 4 * c.hidden(), batch);
        return new Step(k, batch, 1, tokens, enc, encProj, words, StepWeights.prepare(a, this, batch), out.prepare(a, batch), h, cell);
    }

    @Override
    public State expand(Arena a, State state, int times) {
        Step st = (Step) state;
        Kernels k = a.kernels();
        int rows = st.batch * times;
        Tensor idx = RowIndex.repeat(a, st.batch, times);
        return new Step(k, rows, st.share * times, st.tokens, st.enc, st.encProj, st.wordGates, st.weights, st.outWeight,
                gather(k, st.h, idx, rows, c.hidden()), gather(k, st.c, idx, rows, c.hidden()));
    }

    private static Tensor gather(Kernels k, Tensor src, Tensor idx, int rows, int cols) {
        Tensor dst = k.empty(DType.F32, rows, cols);
        k.gatherRows(rows, cols, src, idx, dst);
        return dst;
    }

    @Override
    public Tensor step(Arena a, State state, int[] words) {
        Step st = (Step) state;
        Kernels k = a.kernels();
        int b = st.batch, n = st.tokens, h = c.hidden();
        Tensor q = a.f32(b, c.att()), ctx = a.f32(b, dim), gate = a.f32(b, dim);
        Tensor acts = a.f32(b, 4 * h), alpha = a.f32(b, n);
        Tensor hNew = k.empty(DType.F32, b, h), cNew = k.empty(DType.F32, b, h);
        StepWeights w = st.weights;
        decAtt.forwardPrepared(k, w.decAtt(), st.h, b, q);
        k.attentionStep(st.encProj, q, fullAtt.weight.value(), fullAtt.bias.value(), st.enc, alpha, ctx, b, st.share, n, c.att(), dim);
        fBeta.forwardPrepared(k, w.fBeta(), st.h, b, gate);
        k.sigmoid(gate, gate);
        k.mul(ctx, gate, ctx);
        // The gates: the words' share from the decoding's table, then the context's and h's added.
        st.wordGates.read(a, words, b, acts);
        k.gemmPrepared(b, ctx, dim, w.contextGates(), 1f, acts, 4 * h);
        k.gemmPrepared(b, st.h, h, w.hiddenGates(), 1f, acts, 4 * h);
        k.lstmCell(acts, bIh.value(), bHh.value(), st.c, hNew, cNew, acts, b, h);
        st.replace(hNew, cNew);
        Tensor logits = a.f32(b, c.vocab());
        out.forwardPrepared(k, st.outWeight, hNew, b, logits);
        return logits;
    }

    @Override
    public void reorder(State state, Tensor idx) {
        Step st = (Step) state;
        st.replace(gather(st.k, st.h, idx, st.batch, c.hidden()), gather(st.k, st.c, idx, st.batch, c.hidden()));
    }
}
