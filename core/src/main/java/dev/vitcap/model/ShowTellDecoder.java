package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seed's layer stack as a captioner, names as the PyTorch twin's: embedding, an L-layer LSTM
 * started from the mean encoder token ({@code tanh(init_h(m))} split into L blocks), dropout, a ReLU
 * layer {@code fc} and the output layer. The LSTM runs as one {@link Kernels#lstmForward} call over
 * the whole caption, which a GPU backend hands to cuDNN.
 */
public final class ShowTellDecoder implements Decoder {
    private final DecoderConfig c;
    private final int dim;
    private final Param emb;
    private final Linear initH, initC, fc, out;
    private final List<LstmSequence.Layer> layers = new ArrayList<>();

    public ShowTellDecoder(ParamSet ps, DecoderConfig c, int dim, Random rng) {
        this.c = c;
        this.dim = dim;
        int h = c.hidden(), l = c.layers();
        emb = ps.add("emb.weight", new Init.TruncNormal(1.0), rng, c.vocab(), c.emb());
        initH = new Linear(ps, "init_h", dim, l * h, rng);
        initC = new Linear(ps, "init_c", dim, l * h, rng);
        Init cell = Init.fanIn(h);
        for (int i = 0; i < l; i++) {
            int input = i == 0 ? c.emb() : h;
            Param wIh = ps.add("lstm.weight_ih_l" + i, cell, rng, 4 * h, input);
            Param wHh = ps.add("lstm.weight_hh_l" + i, cell, rng, 4 * h, h);
            Param bIh = ps.add("lstm.bias_ih_l" + i, cell, rng, 4 * h);
            Param bHh = ps.add("lstm.bias_hh_l" + i, cell, rng, 4 * h);
            layers.add(new LstmSequence.Layer(input, h, wIh.value(), wHh.value(), bIh.value(), bHh.value(),
                    wIh.grad(), wHh.grad(), bIh.grad(), bHh.grad()));
        }
        fc = new Linear(ps, "fc", h, c.fc(), rng);
        out = new Linear(ps, "out", c.fc(), c.vocab(), rng);
    }

    @Override
    public DecoderConfig config() {
        return c;
    }

    private record Saved(double loss, double crossEntropy, Tensor logits, Tensor dLogits, CaptionBatch cap, int tokens,
                         Tensor mean, Tensor h0Flat, Tensor c0Flat, Tensor h0, Tensor c0, Tensor embedded,
                         LstmSequence.Saved lstm, Tensor yDrop, Tensor dropMask, Tensor hidden) implements Pass {
        @Override
        public Tensor attention() {
            return null;
        }
    }

    /** Initial states {@code [batch, L·H]} (as init_h writes them) and {@code [L, batch, H]} (as the LSTM reads them). */
    private Tensor[] initialState(Arena a, Tensor enc, int b, int tokens) {
        Kernels k = a.kernels();
        int h = c.hidden(), l = c.layers();
        Tensor mean = a.f32(b, dim), hFlat = a.f32(b, l * h), cFlat = a.f32(b, l * h);
        k.meanTokens(enc, b, tokens, dim, mean);
        initH.forward(k, mean, b, hFlat);
        k.tanh(hFlat, hFlat);
        initC.forward(k, mean, b, cFlat);
        k.tanh(cFlat, cFlat);
        Tensor h0 = a.f32(l, b, h), c0 = a.f32(l, b, h);
        for (int i = 0; i < l; i++) {
            k.copy2d(b, h, hFlat.from((long) i * h), l * h, h0.from((long) i * b * h), h);
            k.copy2d(b, h, cFlat.from((long) i * h), l * h, c0.from((long) i * b * h), h);
        }
        return new Tensor[]{mean, hFlat, cFlat, h0, c0};
    }

    @Override
    public Pass forward(Arena a, Tensor enc, int tokens, CaptionBatch cap, PassOptions o) {
        Kernels k = a.kernels();
        int b = cap.batch(), s = cap.steps(), h = c.hidden(), l = c.layers(), rows = s * b;
        Tensor[] st = initialState(a, enc, b, tokens);
        Tensor embedded = a.f32(rows, c.emb());
        k.embedding(emb.value(), cap.inputs(), rows, c.emb(), embedded, c.emb());
        Tensor y = a.f32(rows, h), hN = a.f32(l, b, h), cN = a.f32(l, b, h);
        LstmSequence.Saved lstm = a.keep(k.lstmForward(layers, s, b, embedded, st[3], st[4], y, hN, cN));
        Tensor mask = null, yDrop = y;
        if (o.training() && c.dropout() > 0) {
            mask = a.f32(rows, h);
            yDrop = a.f32(rows, h);
            k.dropout(y, yDrop, mask, c.dropout(), o.seed());
        }
        Tensor hidden = a.f32(rows, c.fc());
        fc.forward(k, yDrop, rows, hidden);
        k.relu(hidden, hidden);
        Tensor logits = a.f32(rows, c.vocab());
        out.forward(k, hidden, rows, logits);
        CaptionLoss ce = CaptionLoss.of(a, logits, cap, c.vocab(), o.labelSmoothing());
        return new Saved(ce.value(), ce.value(), logits, ce.dLogits(), cap, tokens, st[0], st[1], st[2], st[3], st[4],
                embedded, lstm, yDrop, mask, hidden);
    }

    @Override
    public void backward(Arena a, Pass pass, Tensor dEnc) {
        Saved p = (Saved) pass;
        Kernels k = a.kernels();
        int b = p.cap().batch(), s = p.cap().steps(), h = c.hidden(), l = c.layers(), rows = s * b;
        Tensor dHidden = a.f32(rows, c.fc());
        out.backward(k, p.hidden(), p.dLogits(), rows, dHidden, 0f);
        k.reluBackward(p.hidden(), dHidden, dHidden);
        Tensor dY = a.f32(rows, h);
        fc.backward(k, p.yDrop(), dHidden, rows, dY, 0f);
        if (p.dropMask() != null) k.mul(dY, p.dropMask(), dY);
        Tensor dEmb = a.f32(rows, c.emb()), dh0 = a.f32(l, b, h), dc0 = a.f32(l, b, h);
        k.lstmBackward(p.lstm(), dY, null, null, dEmb, dh0, dc0);
        k.embeddingBackward(dEmb, c.emb(), p.cap().inputs(), rows, c.emb(), emb.grad());
        Tensor dhFlat = a.f32(b, l * h), dcFlat = a.f32(b, l * h);
        for (int i = 0; i < l; i++) {
            k.copy2d(b, h, dh0.from((long) i * b * h), h, dhFlat.from((long) i * h), l * h);
            k.copy2d(b, h, dc0.from((long) i * b * h), h, dcFlat.from((long) i * h), l * h);
        }
        Tensor dMean = a.f32(b, dim);
        k.tanhBackward(p.h0Flat(), dhFlat, dhFlat);
        initH.backward(k, p.mean(), dhFlat, b, dMean, 0f);
        k.tanhBackward(p.c0Flat(), dcFlat, dcFlat);
        initC.backward(k, p.mean(), dcFlat, b, dMean, 1f);
        k.meanTokensBackward(dMean, b, p.tokens(), dim, dEnc);
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The recurrent state, and the weights a step multiplies, prepared once for the decoding
     * ({@link Kernels#prepareWeight}): each layer's {@code W_hh}, the input weights of the layers above
     * the first (whose input product the word gates replace), {@code fc} and {@code out}.
     */
    private static final class Step extends LstmState {
        final List<Tensor> wIh, wHh;
        final Tensor fcWeight, outWeight;

        Step(Kernels k, int batch, WordGates wordGates, Tensor h, Tensor c, List<Tensor> wIh, List<Tensor> wHh, Tensor fcWeight, Tensor outWeight) {
            super(k, batch, wordGates, h, c);
            this.wIh = wIh;
            this.wHh = wHh;
            this.fcWeight = fcWeight;
            this.outWeight = outWeight;
        }

        Step withState(int rows, Tensor h, Tensor c) {
            return new Step(k, rows, wordGates, h, c, wIh, wHh, fcWeight, outWeight);
        }
    }

    @Override
    public State start(Arena a, Tensor enc, int batch, int tokens) {
        Tensor[] st = initialState(a, enc, batch, tokens);
        Kernels k = a.kernels();
        Tensor h = k.empty(DType.F32, c.layers(), batch, c.hidden()), cell = k.empty(DType.F32, c.layers(), batch, c.hidden());
        k.copy2d(1, Math.toIntExact(h.size()), st[3], 0, h, 0);
        k.copy2d(1, Math.toIntExact(cell.size()), st[4], 0, cell, 0);
        WordGates words = new WordGates(a, emb.value(), layers.get(0).wIh(), c.vocab(), c.emb(), c.emb(), 4 * c.hidden(), batch);
        List<Tensor> wIh = new ArrayList<>(), wHh = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            LstmSequence.Layer layer = layers.get(l);
            int g4 = 4 * layer.hidden();
            wIh.add(l == 0 ? null : a.keep(k.prepareWeight(layer.wIh(), g4, layer.input(), layer.input(), false, batch)));
            wHh.add(a.keep(k.prepareWeight(layer.wHh(), g4, layer.hidden(), layer.hidden(), false, batch)));
        }
        return new Step(k, batch, words, h, cell, wIh, wHh, fc.prepare(a, batch), out.prepare(a, batch));
    }

    @Override
    public State expand(Arena a, State state, int times) {
        Step st = (Step) state;
        int rows = st.batch * times;
        Tensor idx = RowIndex.repeat(a, st.batch, times);
        return st.withState(rows, gatherLayers(st.k, st.h, st.batch, idx, rows), gatherLayers(st.k, st.c, st.batch, idx, rows));
    }

    /** Gathers rows of each layer's {@code [batch, H]} block of a {@code [L, batch, H]} state. */
    private Tensor gatherLayers(Kernels k, Tensor state, int batch, Tensor idx, int rows) {
        int h = c.hidden();
        Tensor dst = k.empty(DType.F32, c.layers(), rows, h);
        for (int i = 0; i < c.layers(); i++) {
            k.gatherRows(rows, h, state.from((long) i * batch * h), idx, dst.from((long) i * rows * h));
        }
        return dst;
    }

    @Override
    public Tensor step(Arena a, State state, int[] words) {
        Step st = (Step) state;
        Kernels k = a.kernels();
        int b = st.batch, h = c.hidden(), g4 = 4 * h;
        Tensor hN = k.empty(DType.F32, c.layers(), b, h), cN = k.empty(DType.F32, c.layers(), b, h);
        // The first layer's gates start from the decoding's word gates, so its input product is a lookup;
        // each layer above reads the one below.
        Tensor acts = a.f32(b, g4);
        st.wordGates.read(a, words, b, acts);
        for (int l = 0; l < c.layers(); l++) {
            long at = (long) l * b * h;
            if (l > 0) k.gemmPrepared(b, hN.view(at - (long) b * h, b, h), h, st.wIh.get(l), 0f, acts, g4);
            LstmSequence.step(k, layers.get(l), st.wHh.get(l), b, st.h.view(at, b, h), st.c.view(at, b, h), acts,
                    hN.view(at, b, h), cN.view(at, b, h));
        }
        Tensor y = hN.view((long) (c.layers() - 1) * b * h, b, h);
        Tensor hidden = a.f32(b, c.fc()), logits = a.f32(b, c.vocab());
        fc.forwardPrepared(k, st.fcWeight, y, b, hidden);
        k.relu(hidden, hidden);
        out.forwardPrepared(k, st.outWeight, hidden, b, logits);
        st.replace(hN, cN);
        return logits;
    }

    @Override
    public void reorder(State state, Tensor idx) {
        Step st = (Step) state;
        st.replace(gatherLayers(st.k, st.h, st.batch, idx, st.batch), gatherLayers(st.k, st.c, st.batch, idx, st.batch));
    }
}
