package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Check;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reproduces a reference fixture (outputs of PyTorch or timm, {@code shared/fixtures/README.md}) on a
 * backend and compares every output and gradient. The fixture's kind and every size are read from its
 * tensor names and shapes, so any fixture in these formats can be checked.
 */
public final class FixtureCheck {
    private FixtureCheck() {
    }

    public enum Kind { LSTM, ATTENTION_DECODER, SHOWTELL_DECODER }

    public static Kind kind(Map<String, WeightSource> t) {
        String p = decoderPrefix(t);
        if (t.containsKey("weight_ih_l0") && t.containsKey("x")) return Kind.LSTM;
        if (t.containsKey(p + "full_att.weight") && t.containsKey("encoder_tokens")) return Kind.ATTENTION_DECODER;
        if (t.containsKey(p + "lstm.weight_ih_l0") && t.containsKey("encoder_tokens")) return Kind.SHOWTELL_DECODER;
        throw new IllegalArgumentException("not a fixture of the lstm-a, decoder-a, showtell-a or decoder-r2l-a format (tensors: "
                + String.join(", ", t.keySet().stream().limit(6).toList()) + ", …)");
    }

    public static List<Check> run(Kernels k, Map<String, WeightSource> t) {
        return switch (kind(t)) {
            case LSTM -> lstm(k, t);
            case ATTENTION_DECODER, SHOWTELL_DECODER -> decoder(k, t);
        };
    }

    /** {@code torch.nn.LSTM} (one layer, batch-first) with the loss {@code Σ y·dy + Σ h_n·dh_n + Σ c_n·dc_n}. */
    static List<Check> lstm(Kernels k, Map<String, WeightSource> t) {
        int[] xs = need(t, "x").shape();
        int batch = xs[0], steps = xs[1], in = xs[2], hid = need(t, "weight_hh_l0").shape()[1];
        List<Check> checks = new ArrayList<>();
        try (Arena a = new Arena(k)) {
            Tensor[] w = new Tensor[8];
            String[] names = {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"};
            for (int i = 0; i < 4; i++) {
                w[i] = a.keep(k.upload(need(t, names[i]).data(), need(t, names[i]).shape()));
                w[i + 4] = a.zeros(need(t, names[i]).shape());
            }
            var layer = List.of(new LstmSequence.Layer(in, hid, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]));
            Tensor x = upload(a, timeMajor(need(t, "x").data(), batch, steps, in));
            Tensor h0 = upload(a, need(t, "h0").data()), c0 = upload(a, need(t, "c0").data());
            Tensor y = a.f32(steps * batch, hid), hN = a.f32(1, batch, hid), cN = a.f32(1, batch, hid);
            LstmSequence.Saved saved = a.keep(k.lstmForward(layer, steps, batch, x, h0, c0, y, hN, cN));
            checks.add(Check.output("y", need(t, "y").data(), batchMajor(k.download(y), batch, steps, hid)));
            checks.add(Check.output("h_n", need(t, "h_n").data(), k.download(hN)));
            checks.add(Check.output("c_n", need(t, "c_n").data(), k.download(cN)));
            Tensor dx = a.f32(steps * batch, in), dh0 = a.f32(1, batch, hid), dc0 = a.f32(1, batch, hid);
            k.lstmBackward(saved, upload(a, timeMajor(need(t, "dy").data(), batch, steps, hid)), upload(a, need(t, "dh_n").data()),
                    upload(a, need(t, "dc_n").data()), dx, dh0, dc0);
            checks.add(Check.gradient("grad_x", need(t, "grad_x").data(), batchMajor(k.download(dx), batch, steps, in)));
            checks.add(Check.gradient("grad_h0", need(t, "grad_h0").data(), k.download(dh0)));
            checks.add(Check.gradient("grad_c0", need(t, "grad_c0").data(), k.download(dc0)));
            for (int i = 0; i < 4; i++) checks.add(Check.gradient("grad_" + names[i], need(t, "grad_" + names[i]).data(), k.download(w[i + 4])));
        }
        return checks;
    }

    /**
     * Where a decoder fixture's weights are: a right-to-left decoder's (decoder-r2l-a) under
     * {@link Captioner#R2L_PREFIX}, as a checkpoint names them, others under their bare names.
     */
    static String decoderPrefix(Map<String, WeightSource> t) {
        return t.containsKey(Captioner.R2L_PREFIX + "emb.weight") ? Captioner.R2L_PREFIX : "";
    }

    /**
     * A decoder of the reference model in evaluation mode: logits, attention, loss and every gradient. A
     * right-to-left decoder's fixture holds its captions in reading order with their padding id ({@code pad}),
     * and the decoder reads them {@linkplain CaptionBatch#reversed reversed}, as it trains.
     */
    static List<Check> decoder(Kernels k, Map<String, WeightSource> t) {
        String prefix = decoderPrefix(t);
        int[] es = need(t, "encoder_tokens").shape();
        int batch = es[0], tokens = es[1], dim = es[2];
        int[] emb = need(t, prefix + "emb.weight").shape();
        boolean attention = kind(t) == Kind.ATTENTION_DECODER;
        DecoderConfig cfg;
        if (attention) {
            cfg = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).vocab(emb[0]).emb(emb[1]).hidden(need(t, prefix + "init_h.weight").shape()[0])
                    .att(need(t, prefix + "enc_att.weight").shape()[0]).dropout(0f).build();
        } else {
            int layers = 0;
            while (t.containsKey(prefix + "lstm.weight_ih_l" + layers)) layers++;
            cfg = DecoderConfig.builder(DecoderConfig.Kind.SHOWTELL).vocab(emb[0]).emb(emb[1]).hidden(need(t, prefix + "lstm.weight_hh_l0").shape()[1])
                    .layers(layers).fc(need(t, prefix + "fc.weight").shape()[0]).dropout(0f).build();
        }
        int[][] captions = ids(need(t, "captions"));
        int length = captions[0].length - 1;
        List<Check> checks = new ArrayList<>();
        try (ParamSet ps = new ParamSet(k); Arena a = new Arena(k)) {
            Decoder dec = attention ? new AttentionDecoder(ps, cfg, dim, new Random(0)) : new ShowTellDecoder(ps, cfg, dim, new Random(0));
            ps.load(t, prefix);
            Tensor enc = upload(a, need(t, "encoder_tokens").data());
            CaptionBatch read = prefix.isEmpty() ? CaptionBatch.of(a, captions, -1)
                    : CaptionBatch.of(a, captions, Math.round(need(t, "pad").data()[0])).reversed(a);
            Decoder.Pass pass = dec.forward(a, enc, tokens, read, PassOptions.reference());
            // The batch runs up to its last real target; the twin's steps after it read only padding.
            int steps = read.steps();
            checks.add(Check.output("logits", firstSteps(need(t, "logits").data(), batch, length, steps, cfg.vocab()),
                    batchMajor(k.download(pass.logits()), batch, steps, cfg.vocab())));
            if (attention) {
                checks.add(Check.output("alphas", firstSteps(need(t, "alphas").data(), batch, length, steps, tokens),
                        batchMajor(k.download(pass.attention()), batch, steps, tokens)));
                checks.add(Check.output("cross_entropy", need(t, "cross_entropy").data(), new float[]{(float) pass.crossEntropy()}));
                checks.add(Check.output("attention_reg", need(t, "attention_reg").data(),
                        new float[]{(float) (pass.loss() - pass.crossEntropy())}));
            }
            checks.add(Check.output("loss", need(t, "loss").data(), new float[]{(float) pass.loss()}));
            Tensor dEnc = a.zeros(batch, tokens, dim);
            dec.backward(a, pass, dEnc);
            checks.add(Check.gradient("grad_encoder_tokens", need(t, "grad_encoder_tokens").data(), k.download(dEnc)));
            for (Param p : ps.all()) checks.add(Check.gradient("grad_" + prefix + p.name(), need(t, "grad_" + prefix + p.name()).data(), k.download(p.grad())));
        }
        return checks;
    }

    /** timm's {@code forward_features} for one input batch. */
    public static Check vit(Kernels k, VitConfig cfg, Map<String, WeightSource> weights, WeightSource input, WeightSource expected) {
        try (ParamSet ps = new ParamSet(k); Arena a = new Arena(k)) {
            VitEncoder enc = new VitEncoder(ps, cfg, new Random(0));
            ps.load(weights, "");
            VitEncoder.Pass pass = enc.forward(a, upload(a, input.data()), input.shape()[0]);
            return Check.output("forward_features", expected.data(), k.download(pass.out));
        }
    }

    /**
     * The backward pass of timm's {@code forward_features} (vit-b): the output, the fixed loss
     * {@code Σ forward_features ⊙ loss_weights}, its gradient with respect to the input images and to every weight.
     */
    public static List<Check> vitBackward(Kernels k, VitConfig cfg, Map<String, WeightSource> t) {
        WeightSource input = need(t, "input");
        int batch = input.shape()[0];
        List<Check> checks = new ArrayList<>();
        try (ParamSet ps = new ParamSet(k); Arena a = new Arena(k)) {
            VitEncoder enc = new VitEncoder(ps, cfg, new Random(0));
            ps.load(t, "");
            VitEncoder.Pass pass = enc.forward(a, upload(a, input.data()), batch);
            float[] out = k.download(pass.out), lossWeights = need(t, "loss_weights").data();
            double loss = 0;
            for (int i = 0; i < out.length; i++) loss += (double) out[i] * lossWeights[i];
            checks.add(Check.output("forward_features", need(t, "forward_features").data(), out));
            checks.add(Check.output("loss", need(t, "loss").data(), new float[]{(float) loss}));
            Tensor dPatches = a.f32(batch * cfg.patchesPerImage(), cfg.channels() * cfg.patch() * cfg.patch());
            enc.backward(a, pass, upload(a, lossWeights), dPatches);
            checks.add(Check.gradient("grad_input", need(t, "grad_input").data(), unpatchify(k.download(dPatches), cfg, batch)));
            for (Param p : ps.all()) checks.add(Check.gradient("grad_" + p.name(), need(t, "grad_" + p.name()).data(), k.download(p.grad())));
        }
        return checks;
    }

    /** Patch rows {@code [batch·patches, channels·p·p]} (patchify's layout) back to images {@code [batch, channels, height, width]}. */
    static float[] unpatchify(float[] rows, VitConfig c, int batch) {
        int p = c.patch(), ph = c.imageHeight() / p, pw = c.imageWidth() / p, h = c.imageHeight(), w = c.imageWidth();
        float[] images = new float[batch * c.channels() * h * w];
        int i = 0;
        for (int b = 0; b < batch; b++)
            for (int py = 0; py < ph; py++)
                for (int px = 0; px < pw; px++)
                    for (int ch = 0; ch < c.channels(); ch++)
                        for (int y = 0; y < p; y++)
                            for (int x = 0; x < p; x++) images[((b * c.channels() + ch) * h + py * p + y) * w + px * p + x] = rows[i++];
        return images;
    }

    /** Token ids stored as floats, {@code [batch, length]}. */
    public static int[][] ids(WeightSource w) {
        int batch = w.shape()[0], length = w.shape()[1];
        int[][] out = new int[batch][length];
        for (int b = 0; b < batch; b++) for (int i = 0; i < length; i++) out[b][i] = Math.round(w.data()[b * length + i]);
        return out;
    }

    /** The fixture's tensor of that name, or an error that names it. */
    public static WeightSource need(Map<String, WeightSource> t, String name) {
        WeightSource w = t.get(name);
        if (w == null) throw new IllegalArgumentException("the fixture lacks the tensor '" + name + "'");
        return w;
    }

    private static Tensor upload(Arena a, float[] data) {
        return a.keep(a.kernels().upload(data, data.length));
    }

    /** {@code [batch, steps, width]} → {@code [steps, batch, width]}. */
    static float[] timeMajor(float[] x, int batch, int steps, int width) {
        float[] out = new float[x.length];
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < steps; s++) System.arraycopy(x, (b * steps + s) * width, out, (s * batch + b) * width, width);
        return out;
    }

    /** The first {@code steps} of each row of a batch-major {@code [batch][length][width]} array. */
    static float[] firstSteps(float[] x, int batch, int length, int steps, int width) {
        if (steps == length) return x;
        float[] out = new float[batch * steps * width];
        for (int b = 0; b < batch; b++) System.arraycopy(x, b * length * width, out, b * steps * width, steps * width);
        return out;
    }

    /** {@code [steps, batch, width]} → {@code [batch, steps, width]}. */
    static float[] batchMajor(float[] x, int batch, int steps, int width) {
        float[] out = new float[x.length];
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < steps; s++) System.arraycopy(x, (s * batch + b) * width, out, (b * steps + s) * width, width);
        return out;
    }
}
