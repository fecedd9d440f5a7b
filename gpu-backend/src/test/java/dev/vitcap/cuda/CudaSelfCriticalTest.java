package dev.vitcap.cuda;

import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.metrics.CiderDReward;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.train.SelfCritical;
import dev.vitcap.train.SelfCriticalStep;
import dev.vitcap.train.StepOptions;
import dev.vitcap.train.TrainStep;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Self-critical training on the GPU follows the reference backend step by step: the same captions are
 * sampled (the Gumbel noise comes from the host's seeded generator), so the same rewards, and the losses
 * agree to the training tolerance.
 */
@EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")
class CudaSelfCriticalTest {
    private static final int STEPS = 2, IMAGES = 2;

    @ParameterizedTest
    @EnumSource(SelfCritical.Baseline.class)
    void stepsFollowTheReference(SelfCritical.Baseline baseline) {
        double[][] expected = steps(new ReferenceKernels(), baseline);
        double[][] actual;
        try (CudaKernels k = new CudaKernels(CudaOptions.fromSystemProperties().withPrecision(Precision.FP32))) {
            actual = steps(k, baseline);
        }
        String both = "reference " + Arrays.deepToString(expected) + "\ncuda      " + Arrays.deepToString(actual);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(expected[s][1], actual[s][1], 1e-9, "step " + (s + 1) + ": the same samples, so the same reward\n" + both);
            assertEquals(expected[s][0], actual[s][0], 1e-3 * Math.abs(expected[s][0]) + 1e-5, "step " + (s + 1) + " loss\n" + both);
        }
    }

    /** Each step's loss and mean reward for the {@code tiny} model on random images and references. */
    private static double[][] steps(Kernels k, SelfCritical.Baseline baseline) {
        ModelConfig cfg = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION);
        List<String> words = new ArrayList<>();
        for (int w = 4; w < cfg.decoder().vocab(); w++) words.add("w" + w);
        Vocabulary vocabulary = Vocabulary.build(List.of(String.join(" ", words)), PtbTokenizer.instance()::tokenize, 1, cfg.maxLength());
        Random data = new Random(7);
        List<List<String>> references = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            List<String> set = new ArrayList<>();
            for (int r = 0; r < 3; r++) set.add(String.join(" ", words.subList(data.nextInt(20), 20 + data.nextInt(6))));
            references.add(set);
        }
        CiderDReward reward = CiderDReward.fromReferenceSets(references);
        int side = cfg.encoder().imageHeight();
        float[] images = new float[IMAGES * 3 * side * side];
        for (int i = 0; i < images.length; i++) images[i] = data.nextFloat() * 2 - 1;
        double[][] out = new double[STEPS][];
        try (Captioner model = new Captioner(k, cfg.withVocab(vocabulary.size()), 42); AdamW adam = AdamW.standard(k);
             Tensor img = k.upload(images, IMAGES, 3, side, side)) {
            SelfCriticalStep step = new SelfCriticalStep(model, new TrainStep(model, adam), reward, vocabulary);
            for (int s = 0; s < STEPS; s++) {
                TrainStep.Result r = step.run(img, references.stream().map(reward::references).toList(), new SelfCritical(baseline, 3),
                        new StepOptions(1e-3f, 1e-3f, true, 0f, 0f, 0f, 0f, 5f, 100 + s));
                out[s] = new double[]{r.loss(), r.rewards().reward()};
            }
        }
        return out;
    }
}
