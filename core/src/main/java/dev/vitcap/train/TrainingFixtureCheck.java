package dev.vitcap.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Check;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.FixtureCheck;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.WeightSource;
import dev.vitcap.optim.AdamW;
import dev.vitcap.optim.Schedule;
import dev.vitcap.weights.TimmArgs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reproduces a multi-step training fixture (train-a, written by {@code reference/make_fixtures.py}
 * with the PyTorch twin): a small ViT + attention-LSTM captioner loaded from the fixture's initial
 * weights takes its steps with {@link TrainStep} and {@link AdamW} on the fixture's batch, the learning
 * rates from {@link Schedule}; every step's learning rates, loss, word loss and gradient norm, then
 * every final weight, are compared.
 *
 * <p>Tolerances, float32 against float32. The two sides sum in different orders, so each step's
 * gradients differ by rounding, about 1e-6 of their size. AdamW divides each gradient by its own running
 * magnitude, so an update carries that relative error and the weights stay within a small fraction of
 * the distance they move (at most about Σ lr, 6e-3 here). The largest differences measured on the
 * reference and cpu backends were 7e-7 on a weight and 4e-7 relative on a loss or gradient norm; the
 * tolerances, {@link #WEIGHT} absolute on every final weight and {@link #CURVE} relative on every step's
 * loss, word loss and gradient norm, leave more than ten times that room, while a step that went wrong
 * anywhere (a gradient, the clipping, a learning rate, a bias correction, or a missing weight decay,
 * which alone would move the larger weights by 1e-4) lands far outside them.
 * Two kinds of entries cannot be compared this way: the attention score bias ({@code full_att.bias})
 * and the key third of each {@code attn.qkv.bias} do not change the loss at all (a softmax is unchanged
 * by a shift), so their gradients are pure rounding noise, which AdamW's normalisation turns into steps
 * in the noise's direction. They are only held within {@code 2 · Σ lr} of the fixture.
 */
public final class TrainingFixtureCheck {
    /** Absolute tolerance of the final weights. */
    public static final double WEIGHT = 1e-5;
    /** Relative tolerance of the per-step loss, word loss and gradient norm. */
    public static final double CURVE = 1e-5;
    /** Relative tolerance of the learning rates (the same float arithmetic on both sides). */
    public static final double RATE = 1e-6;

    private TrainingFixtureCheck() {
    }

    public static List<Check> run(Kernels k, JsonNode about, Map<String, WeightSource> t) {
        VitConfig vit = TimmArgs.vitConfig(about.get("timm_args"), (float) about.path("layer_norm_eps").asDouble(1e-6));
        JsonNode d = about.get("decoder"), o = about.get("options"), s = about.get("schedule");
        if (!"attention".equals(d.path("kind").asText())) throw new IllegalArgumentException("only attention-decoder training fixtures are supported");
        int hid = d.get("hid").asInt(), steps = about.get("steps").asInt(), pad = about.get("pad").asInt();
        DecoderConfig dec = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).vocab(d.get("vocab").asInt()).emb(d.get("emb").asInt())
                .hidden(hid).att(d.get("att").asInt()).dropout((float) d.get("dropout").asDouble()).build();
        ModelConfig cfg = new ModelConfig(vit, dec, about.get("T").asInt());
        Schedule lr = schedule(s, "peak"), encoderLr = schedule(s, "encoder_peak");
        TrainConfig recipe = TrainConfig.builder().labelSmoothing((float) o.get("label_smoothing").asDouble())
                .attentionReg((float) o.get("attention_reg").asDouble()).clipNorm((float) o.get("clip_norm").asDouble()).build();
        int[][] captions = FixtureCheck.ids(FixtureCheck.need(t, "captions"));
        WeightSource images = FixtureCheck.need(t, "images");

        float[] rates = new float[steps], encoderRates = new float[steps], loss = new float[steps], ce = new float[steps], norm = new float[steps];
        List<Check> checks = new ArrayList<>();
        try (Captioner model = new Captioner(k, cfg, 0);
             AdamW adamw = new AdamW(k, (float) o.get("beta1").asDouble(), (float) o.get("beta2").asDouble(),
                     (float) o.get("eps").asDouble(), (float) o.get("weight_decay").asDouble());
             Arena a = new Arena(k)) {
            model.encoderParams.load(t, "encoder.");
            model.decoderParams.load(t, "decoder.");
            Tensor img = a.keep(k.upload(images.data(), images.shape()));
            TrainStep step = new TrainStep(model, adamw);
            for (int i = 0; i < steps; i++) {
                rates[i] = lr.at(i);
                encoderRates[i] = encoderLr.at(i);
                TrainStep.Result r = step.run(img, captions, pad, StepOptions.of(recipe, rates[i], encoderRates[i], true, i));
                loss[i] = (float) r.loss();
                ce[i] = (float) r.crossEntropy();
                norm[i] = (float) r.gradNorm();
            }
            checks.add(relative("lr", FixtureCheck.need(t, "lr").data(), rates, RATE));
            checks.add(relative("encoder_lr", FixtureCheck.need(t, "encoder_lr").data(), encoderRates, RATE));
            checks.add(relative("loss", FixtureCheck.need(t, "loss").data(), loss, CURVE));
            checks.add(relative("cross_entropy", FixtureCheck.need(t, "cross_entropy").data(), ce, CURVE));
            checks.add(relative("grad_norm", FixtureCheck.need(t, "grad_norm").data(), norm, CURVE));
            for (Captioner.Named p : model.parameters()) {
                String name = "final." + p.name();
                float[] expected = FixtureCheck.need(t, name).data(), actual = k.download(p.param().value());
                boolean[] gauge = gaugeEntries(p.name(), expected.length);
                if (gauge == null) {
                    checks.add(new Check(name, Check.maxDiff(expected, actual), WEIGHT));
                    continue;
                }
                if (actual.length != expected.length) throw new IllegalArgumentException("the fixture's " + name + " has " + expected.length + " entries, the model's " + actual.length);
                double bound = 2 * sum(p.name().startsWith("encoder.") ? encoderRates : rates);
                checks.add(new Check(name + " (loss-independent part)", Check.maxDiff(pick(expected, gauge, true), pick(actual, gauge, true)), bound));
                float[] rest = pick(expected, gauge, false);
                if (rest.length > 0) checks.add(new Check(name, Check.maxDiff(rest, pick(actual, gauge, false)), WEIGHT));
            }
        }
        return checks;
    }

    private static Schedule schedule(JsonNode s, String peak) {
        return new Schedule((float) s.get(peak).asDouble(), s.get("warmup").asInt(), s.get("total").asInt(), (float) s.get("min_ratio").asDouble());
    }

    /** The entries of a parameter that the loss does not depend on, or null when there are none. */
    static boolean[] gaugeEntries(String name, int size) {
        boolean[] mask = new boolean[size];
        if (name.endsWith("full_att.bias")) {
            Arrays.fill(mask, true);
        } else if (name.endsWith("attn.qkv.bias")) {
            Arrays.fill(mask, size / 3, 2 * size / 3, true); // query, key, value: the key third
        } else {
            return null;
        }
        return mask;
    }

    /** The entries of {@code x} where {@code mask} equals {@code where}. */
    private static float[] pick(float[] x, boolean[] mask, boolean where) {
        float[] out = new float[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) if (mask[i] == where) out[n++] = x[i];
        return Arrays.copyOf(out, n);
    }

    private static Check relative(String name, float[] expected, float[] actual, double tolerance) {
        return new Check(name, Check.maxDiff(expected, actual), tolerance * Check.maxAbs(expected));
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) s += v;
        return s;
    }
}
