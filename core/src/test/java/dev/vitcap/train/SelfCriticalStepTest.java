package dev.vitcap.train;

import dev.vitcap.decode.Decoded;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.metrics.CiderDReward;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.Param;
import dev.vitcap.model.VitConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Self-critical training on a toy problem: two images, each with its own references. The step's
 * gradient is the gradient of REINFORCE's surrogate for the captions it sampled (checked against central
 * finite differences of that surrogate, computed word by word through the decoding path), and training
 * raises the expected reward.
 */
class SelfCriticalStepTest {
    private static final List<List<String>> REFERENCES = List.of(
            List.of("a red square", "a red square on the left", "one red square"),
            List.of("two blue circles", "two blue circles at the top", "a pair of blue circles"));
    private static final Vocabulary VOCABULARY = Vocabulary.build(REFERENCES.stream().flatMap(List::stream).toList(),
            PtbTokenizer.instance()::tokenize, 1, 8);
    private static final CiderDReward REWARD = CiderDReward.fromReferenceSets(REFERENCES);

    private static ModelConfig model(DecoderConfig.Kind kind) {
        VitConfig vit = VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build();
        return new ModelConfig(vit, DecoderConfig.builder(kind).vocab(VOCABULARY.size()).emb(6).hidden(12).att(6).fc(6).dropout(0.3f).build(), 8);
    }

    private static float[] images() {
        Random rng = new Random(3);
        float[] images = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < images.length; i++) images[i] = (float) rng.nextGaussian();
        return images;
    }

    private static List<CiderDReward.References> references() {
        return REFERENCES.stream().map(REWARD::references).toList();
    }

    @ParameterizedTest
    @EnumSource(DecoderConfig.Kind.class)
    void theStepsGradientIsTheSurrogatesForItsSamples(DecoderConfig.Kind kind) {
        Kernels k = new ReferenceKernels();
        float[] pixels = images();
        int samples = 3, rows = 2 * samples;
        // Learning rate 0 and no clipping: the step leaves its gradients in place and the weights as they were.
        StepOptions o = new StepOptions(0f, 0f, true, 0f, 0f, 0f, 0f, 0f, 77);
        try (Captioner model = new Captioner(k, model(kind), 5); AdamW adam = AdamW.standard(k)) {
            SelfCriticalStep step = new SelfCriticalStep(model, new TrainStep(model, adam), REWARD, VOCABULARY);
            try (Tensor img = k.upload(pixels, 2, 3, 8, 8)) {
                step.run(img, references(), new SelfCritical(SelfCritical.Baseline.MEAN, samples), o);
            }
            // The step's captions: the same seed draws them again.
            Decoded[] drawn;
            try (Arena a = new Arena(k)) {
                drawn = Decoding.sample(model, repeated(a, model, pixels, samples), rows, o.seed(), Vocabulary.START, Vocabulary.END).captions();
            }
            float[] advantage = new float[rows];
            for (int i = 0; i < 2; i++) {
                double[] r = new double[samples];
                for (int s = 0; s < samples; s++) r[s] = REWARD.score(VOCABULARY.decode(drawn[s * 2 + i].words()), references().get(i));
                double sum = java.util.Arrays.stream(r).sum();
                for (int s = 0; s < samples; s++) advantage[s * 2 + i] = (float) (r[s] - (sum - r[s]) / (samples - 1));
            }
            assertTrue(java.util.Arrays.stream(drawn).anyMatch(d -> d.words().length > 0), "the samples hold words");
            List<String> failures = new ArrayList<>();
            Random pick = new Random(9);
            double largest = 0;
            List<double[]> checks = new ArrayList<>();
            for (Captioner.Named named : model.parameters()) {
                Param p = named.param();
                float[] value = k.download(p.value()), grad = k.download(p.grad());
                for (float g : grad) largest = Math.max(largest, Math.abs(g));
                for (int probe = 0; probe < Math.min(3, value.length); probe++) {
                    int i = pick.nextInt(value.length);
                    // Richardson's extrapolation of two central differences cancels their h² error.
                    double wide = centralDifference(model, p, value, i, 4e-3f, pixels, samples, drawn, advantage);
                    double narrow = centralDifference(model, p, value, i, 2e-3f, pixels, samples, drawn, advantage);
                    checks.add(new double[]{grad[i], (4 * narrow - wide) / 3});
                    failures.add(named.name() + "[" + i + "]");
                }
            }
            assertTrue(largest > 0, "the step left gradients");
            List<String> bad = new ArrayList<>();
            for (int c = 0; c < checks.size(); c++) {
                double analytic = checks.get(c)[0], numeric = checks.get(c)[1];
                // GradientCheckTest's bound, relative to the largest gradient: a ReLU near its kink (show-and-tell's fc) blurs the differences.
                if (Math.abs(analytic - numeric) > 2e-3 * largest + 2e-2 * Math.abs(numeric)) {
                    bad.add(failures.get(c) + ": analytic " + analytic + ", numeric " + numeric);
                }
            }
            assertTrue(bad.isEmpty(), "largest " + largest + "\n" + String.join("\n", bad));
        }
    }

    @Test
    void trainingRaisesTheExpectedReward() {
        Kernels k = new ReferenceKernels();
        float[] pixels = images();
        try (Captioner model = new Captioner(k, model(DecoderConfig.Kind.ATTENTION), 5); AdamW adam = AdamW.standard(k)) {
            SelfCriticalStep step = new SelfCriticalStep(model, new TrainStep(model, adam), REWARD, VOCABULARY);
            double before = expectedReward(model, pixels);
            SelfCritical sc = new SelfCritical(SelfCritical.Baseline.MEAN, 4);
            try (Tensor img = k.upload(pixels, 2, 3, 8, 8)) {
                for (int s = 0; s < 150; s++) step.run(img, references(), sc, new StepOptions(1e-2f, 1e-2f, true, 0f, 0f, 0f, 0f, 5f, s));
            }
            double after = expectedReward(model, pixels);
            assertTrue(after > 2 * before, "expected CIDEr-D reward " + before + " before, " + after + " after");
        }
    }

    private static double centralDifference(Captioner model, Param p, float[] value, int i, float h, float[] pixels, int samples,
                                            Decoded[] drawn, float[] advantage) {
        Kernels k = model.kernels;
        float saved = value[i];
        value[i] = saved + h;
        k.write(p.value(), value);
        double up = surrogate(model, pixels, samples, drawn, advantage);
        value[i] = saved - h;
        k.write(p.value(), value);
        double down = surrogate(model, pixels, samples, drawn, advantage);
        value[i] = saved;
        k.write(p.value(), value);
        return (up - down) / (2 * h);
    }

    /** The mean reward of 64 samples per image, from seeds no training step used. */
    private static double expectedReward(Captioner model, float[] pixels) {
        int samples = 64;
        try (Arena a = new Arena(model.kernels)) {
            Decoded[] drawn = Decoding.sample(model, repeated(a, model, pixels, samples), 2 * samples, -1, Vocabulary.START, Vocabulary.END).captions();
            double sum = 0;
            for (int r = 0; r < drawn.length; r++) sum += REWARD.score(VOCABULARY.decode(drawn[r].words()), references().get(r % 2));
            return sum / drawn.length;
        }
    }

    /** The encoder's tokens of the two images, repeated {@code samples} times, sample-major. */
    private static Tensor repeated(Arena a, Captioner model, float[] pixels, int samples) {
        Kernels k = model.kernels;
        Tensor enc = model.encoder.forward(a, a.keep(k.upload(pixels, 2, 3, 8, 8)), 2).out;
        float[] one = k.download(enc), all = new float[one.length * samples];
        for (int s = 0; s < samples; s++) System.arraycopy(one, 0, all, s * one.length, one.length);
        return a.keep(k.upload(all, 2 * samples, model.tokens(), model.config.encoder().dim()));
    }

    /**
     * REINFORCE's surrogate {@code −Σ advantage·log p(word)} over the sampled words (and each ended
     * caption's {@code <end>}), divided by their number: the log-probabilities read word by word from
     * the decoder's decoding steps, not from the teacher-forced pass the step uses.
     */
    private static double surrogate(Captioner model, float[] pixels, int samples, Decoded[] drawn, float[] advantage) {
        Kernels k = model.kernels;
        int rows = drawn.length, vocab = VOCABULARY.size(), longest = 0, count = 0;
        for (Decoded d : drawn) longest = Math.max(longest, d.words().length + 1);
        double total = 0;
        try (Arena a = new Arena(k)) {
            Decoder.State state = a.keep(model.decoder.start(a, repeated(a, model, pixels, samples), rows, model.tokens()));
            int[] current = new int[rows];
            java.util.Arrays.fill(current, Vocabulary.START);
            for (int t = 0; t < longest; t++) {
                float[] logp;
                try (Arena step = new Arena(k)) {
                    Tensor logits = model.decoder.step(step, state, current);
                    k.logSoftmax(logits, logits, rows, vocab);
                    logp = k.download(logits);
                }
                for (int r = 0; r < rows; r++) {
                    int[] words = drawn[r].words();
                    int target = t < words.length ? words[t] : t == words.length && drawn[r].ended() ? Vocabulary.END : -1;
                    if (target >= 0) {
                        total -= advantage[r] * logp[r * vocab + target];
                        count++;
                    }
                    current[r] = target >= 0 ? target : Vocabulary.PAD;
                }
            }
        }
        return total / count;
    }
}
