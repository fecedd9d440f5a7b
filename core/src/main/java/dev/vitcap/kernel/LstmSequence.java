package dev.vitcap.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A stacked LSTM over a whole time-major sequence, composed of {@link Kernels#gemm} and
 * {@link Kernels#lstmCell}: the default of {@link Kernels#lstmForward} and its plain reference.
 *
 * <p>The input projection of every step is one product over all steps; only {@code h·W_hhᵀ} is per
 * step. In the backward pass the weight gradients are likewise one product each over all steps.
 */
public final class LstmSequence {
    private LstmSequence() {
    }

    /** One layer's weights (PyTorch names: {@code weight_ih_l{k}} …) and the gradients they accumulate into. */
    public record Layer(int input, int hidden, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                        Tensor dWIh, Tensor dWHh, Tensor dBIh, Tensor dBHh) {
    }

    /** What the forward pass keeps for the backward pass; closing it frees that memory. */
    public interface Saved extends AutoCloseable {
        @Override
        void close();
    }

    private record LayerActivations(Tensor in, Tensor h0, Tensor c0, Tensor y, Tensor c, Tensor acts) {
    }

    private record Composed(List<Layer> layers, int steps, int batch, List<LayerActivations> saved,
                            List<Tensor> owned) implements Saved {
        @Override
        public void close() {
            owned.forEach(Tensor::close);
        }
    }

    static Saved forward(Kernels k, List<Layer> layers, int steps, int batch,
                         Tensor x, Tensor h0, Tensor c0, Tensor y, Tensor hN, Tensor cN) {
        List<Tensor> owned = new ArrayList<>();
        List<LayerActivations> saved = new ArrayList<>();
        Tensor in = x;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int hid = layer.hidden(), g4 = 4 * hid, rows = steps * batch;
            boolean top = l == layers.size() - 1;
            Tensor out = top ? y : k.empty(DType.F32, rows, hid);
            Tensor cs = k.empty(DType.F32, rows, hid);
            Tensor acts = k.empty(DType.F32, rows, g4);
            owned.add(cs);
            owned.add(acts);
            if (!top) owned.add(out);
            Tensor hStart = h0.view((long) l * batch * hid, batch, hid);
            Tensor cStart = c0.view((long) l * batch * hid, batch, hid);
            k.gemm(false, true, rows, g4, layer.input(), 1f, in, layer.input(), layer.wIh(), layer.input(), 0f, acts, g4);
            try (Tensor wHh = k.prepareWeight(layer.wHh(), g4, hid, hid, false, batch)) {
                for (int t = 0; t < steps; t++) {
                    Tensor hPrev = t == 0 ? hStart : out.view((long) (t - 1) * batch * hid, batch, hid);
                    Tensor cPrev = t == 0 ? cStart : cs.view((long) (t - 1) * batch * hid, batch, hid);
                    step(k, layer, wHh, batch, hPrev, cPrev, acts.view((long) t * batch * g4, batch, g4),
                            out.view((long) t * batch * hid, batch, hid), cs.view((long) t * batch * hid, batch, hid));
                }
            }
            long last = (long) (steps - 1) * batch * hid;
            k.copy2d(batch, hid, out.view(last, batch, hid), hid, hN.view((long) l * batch * hid, batch, hid), hid);
            k.copy2d(batch, hid, cs.view(last, batch, hid), hid, cN.view((long) l * batch * hid, batch, hid), hid);
            saved.add(new LayerActivations(in, hStart, cStart, out, cs, acts));
            in = out;
        }
        return new Composed(List.copyOf(layers), steps, batch, saved, owned);
    }

    /**
     * One step of one layer whose {@code gates [batch, 4H]} already hold the input's share: adds
     * {@code hPrev·W_hhᵀ} ({@code wHh} is the layer's, from {@link Kernels#prepareWeight}), then the
     * cell writes {@code h} and {@code c}, and its activations over the gates.
     */
    public static void step(Kernels k, Layer layer, Tensor wHh, int batch, Tensor hPrev, Tensor cPrev, Tensor gates, Tensor h, Tensor c) {
        int hid = layer.hidden(), g4 = 4 * hid;
        k.gemmPrepared(batch, hPrev, hid, wHh, 1f, gates, g4);
        k.lstmCell(gates, layer.bIh(), layer.bHh(), cPrev, h, c, gates, batch, hid);
    }

    static void backward(Kernels k, Saved s, Tensor dy, Tensor dhN, Tensor dcN, Tensor dx, Tensor dh0, Tensor dc0) {
        Composed run = (Composed) s;
        int steps = run.steps(), batch = run.batch();
        Tensor dOut = dy;
        List<Tensor> temps = new ArrayList<>();
        try {
            for (int l = run.layers().size() - 1; l >= 0; l--) {
                Layer layer = run.layers().get(l);
                LayerActivations a = run.saved().get(l);
                int hid = layer.hidden(), g4 = 4 * hid, rows = steps * batch;
                Tensor dGates = k.empty(DType.F32, rows, g4);
                Tensor dh = k.empty(DType.F32, batch, hid);
                Tensor dc = k.empty(DType.F32, batch, hid);
                Tensor dhRec = k.zeros(DType.F32, batch, hid);
                temps.addAll(List.of(dGates, dh, dc, dhRec));
                long stateOffset = (long) l * batch * hid;
                if (dcN != null) k.copy2d(batch, hid, dcN.view(stateOffset, batch, hid), hid, dc, hid);
                else k.fill(dc, 0f);
                if (dhN != null) k.copy2d(batch, hid, dhN.view(stateOffset, batch, hid), hid, dhRec, hid);
                // dh_{t-1} = dGates_t·W_hh, as a product with W_hhᵀ prepared once for every step.
                try (Tensor wHhT = k.prepareWeight(layer.wHh(), hid, g4, hid, true, batch)) {
                    for (int t = steps - 1; t >= 0; t--) {
                        long hOff = (long) t * batch * hid;
                        if (dOut != null) k.add(dOut.view(hOff, batch, hid), dhRec, dh);
                        else k.copy2d(batch, hid, dhRec, hid, dh, hid);
                        Tensor cPrev = t == 0 ? a.c0() : a.c().view(hOff - (long) batch * hid, batch, hid);
                        Tensor dg = dGates.view((long) t * batch * g4, batch, g4);
                        k.lstmCellBackward(a.acts().view((long) t * batch * g4, batch, g4), cPrev,
                                a.c().view(hOff, batch, hid), dh, dc, dg, batch, hid);
                        k.gemmPrepared(batch, dg, g4, wHhT, 0f, dhRec, hid);
                    }
                }
                // Weight gradients, one product over all steps: h_{t-1} is h0 at t = 0, else y[t-1].
                k.gemm(true, false, g4, hid, batch, 1f, dGates, g4, a.h0(), hid, 1f, layer.dWHh(), hid);
                if (steps > 1) {
                    k.gemm(true, false, g4, hid, (steps - 1) * batch, 1f, dGates.view((long) batch * g4, rows - batch, g4), g4,
                            a.y(), hid, 1f, layer.dWHh(), hid);
                }
                k.gemm(true, false, g4, layer.input(), rows, 1f, dGates, g4, a.in(), layer.input(), 1f, layer.dWIh(), layer.input());
                k.sumRows(dGates, rows, g4, layer.dBIh());
                k.sumRows(dGates, rows, g4, layer.dBHh());
                Tensor dIn = l == 0 ? dx : k.empty(DType.F32, rows, layer.input());
                if (l > 0) temps.add(dIn);
                if (dIn != null) k.gemm(false, false, rows, layer.input(), g4, 1f, dGates, g4, layer.wIh(), layer.input(), 0f, dIn, layer.input());
                k.copy2d(batch, hid, dhRec, hid, dh0.view(stateOffset, batch, hid), hid);
                k.copy2d(batch, hid, dc, hid, dc0.view(stateOffset, batch, hid), hid);
                dOut = dIn;
            }
        } finally {
            temps.forEach(Tensor::close);
        }
    }
}
