package dev.vitcap.train;

import dev.vitcap.data.CaptionData;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.RegionHeadConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stopped part-way (as by Ctrl-C) and resumed from its checkpoint ends with exactly the weights of one never stopped. */
class TrainerResumeTest {
    static final ModelConfig MODEL = new ModelConfig(VitConfig.builder().image(8).patch(4).dim(8).depth(1).heads(2).mlp(16).build(),
            DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).vocab(9).emb(6).hidden(8).att(5).dropout(0.5f).build(), 6, new RegionHeadConfig(2, 3))
            .withPositionHead(true);
    static final TrainConfig RECIPE = TrainConfig.builder().epochs(3).batchSize(4).lr(3e-3f).encoderLr(1e-3f).warmupSteps(2).minLrRatio(0.1f)
            .clipNorm(1f).labelSmoothing(0.1f).attentionReg(0.5f).regionLoss(0.5f).positionLoss(0.3f).freezeEncoderEpochs(1).patience(0).seed(5).build();

    /** Words 4 … 8 of the models above, so that captions read as text (the references, the self-critical reward). */
    static final Vocabulary VOCABULARY = Vocabulary.build(List.of("w4 w5 w6 w7 w8"), PtbTokenizer.instance()::tokenize, 1, 6);

    /** Ten random images with two or three random captions each, padded to the model's length. */
    static final class RandomData implements CaptionData {
        final float[][] images = new float[10][3 * 8 * 8];
        final int[][][] captions = new int[10][][];

        RandomData() {
            Random rng = new Random(3);
            for (int i = 0; i < 10; i++) {
                for (int p = 0; p < images[i].length; p++) images[i][p] = (float) rng.nextGaussian();
                captions[i] = new int[2 + i % 2][];
                for (int j = 0; j < captions[i].length; j++) {
                    int words = 1 + rng.nextInt(4);
                    int[] c = new int[6];
                    c[0] = 1;
                    for (int w = 1; w <= words; w++) c[w] = 4 + rng.nextInt(5);
                    c[words + 1] = 2;
                    captions[i][j] = c;
                }
            }
        }

        public int size() {
            return 10;
        }

        public String id(int index) {
            return Integer.toString(index);
        }

        public void image(int index, float[] dst, int offset) {
            System.arraycopy(images[index], 0, dst, offset, images[index].length);
        }

        public List<String> references(int index) {
            return java.util.Arrays.stream(captions[index]).map(VOCABULARY::decode).toList();
        }

        public int[] encoded(int index, int which) {
            return captions[index][which];
        }

        public int[] regions(int index) {
            return new int[]{index % 3, (index + 1) % 3, 0, 2};
        }
    }

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
        public void step(TrainingState s, TrainStep.Result r, float lr, double seconds, int images) {
        }

        public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
        }
    };

    private static float[][] weights(Captioner m) {
        return m.parameters().stream().map(n -> m.kernels.download(n.param().value())).toArray(float[][]::new);
    }

    /** Cross-entropy training, and self-critical training (whose samples must be drawn again the same). */
    static Stream<TrainConfig> recipes() {
        return Stream.of(RECIPE, RECIPE.toBuilder().selfCritical(new SelfCritical(SelfCritical.Baseline.GREEDY, 3)).build());
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void interruptedAndResumedEqualsUninterrupted(TrainConfig recipe, @TempDir Path straight, @TempDir Path stopped) throws IOException {
        Kernels k = new ReferenceKernels();
        RandomData data = new RandomData();
        Trainer.Evaluator eval = m -> Map.of("CIDEr", 0.0);
        float[][] expected;
        try (Captioner m = new Captioner(k, MODEL, 1); AdamW opt = AdamW.standard(k)) {
            assertEquals(Trainer.Outcome.FINISHED, new Trainer(m, opt, data, eval, straight, VOCABULARY, null).run(TrainingState.start(recipe), QUIET, () -> false));
            expected = weights(m);
        }
        int[] calls = {0};
        try (Captioner m = new Captioner(k, MODEL, 1); AdamW opt = AdamW.standard(k)) {
            // Stops before the fifth step: mid-way through the second epoch, after the encoder was unfrozen.
            assertEquals(Trainer.Outcome.INTERRUPTED, new Trainer(m, opt, data, eval, stopped, VOCABULARY, null)
                    .run(TrainingState.start(recipe), QUIET, () -> ++calls[0] > 4));
        }
        Checkpoint saved = Checkpoint.load(stopped.resolve(Trainer.LAST));
        TrainingState where = TrainingState.fromJson(saved.training(), "last.json");
        assertEquals(1, where.epoch());
        assertEquals(1, where.batch());
        assertEquals(recipe, where.config(), "the recipe is saved with the state");
        try (Captioner m = new Captioner(k, saved.model(), 99); AdamW opt = AdamW.standard(k)) {
            saved.restore(m, opt);
            assertEquals(Trainer.Outcome.FINISHED, new Trainer(m, opt, data, eval, stopped, VOCABULARY, null).run(where, QUIET, () -> false));
            float[][] actual = weights(m);
            for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], "parameter " + m.parameters().get(i).name());
        }
    }

    @Test
    void aRunFromACheckpointValidatesItFirstAndKeepsItAsBestUntilBeaten(@TempDir Path out) throws IOException {
        Kernels k = new ReferenceKernels();
        int[] evaluations = {0};
        // The starting weights score 1, every trained model less: best.json must stay the starting model.
        Trainer.Evaluator eval = m -> Map.of("CIDEr", evaluations[0]++ == 0 ? 1.0 : 0.5);
        List<Integer> epochs = new java.util.ArrayList<>();
        Trainer.Listener listener = new Trainer.Listener() {
            public void step(TrainingState s, TrainStep.Result r, float lr, double seconds, int images) {
            }

            public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
                epochs.add(s.epoch());
            }
        };
        try (Captioner m = new Captioner(k, MODEL, 1); AdamW opt = AdamW.standard(k)) {
            float[][] start = weights(m);
            new Trainer(m, opt, new RandomData(), eval, out, VOCABULARY, null).validatingStart(true)
                    .run(TrainingState.start(RECIPE.withEpochs(2)), listener, () -> false);
            assertEquals(List.of(0, 1, 2), epochs, "the start is validated as epoch 0, then each epoch");
            try (Captioner best = new Captioner(k, MODEL, 99)) {
                Checkpoint.load(out.resolve(Trainer.BEST)).restore(best, null);
                float[][] kept = weights(best);
                for (int i = 0; i < start.length; i++) assertArrayEquals(start[i], kept[i], "best.json holds the starting weights");
            }
        }
    }

    @Test
    void anEpochIsReportedBeforeItsCheckpointSaysItIsDone(@TempDir Path out) throws IOException {
        Kernels k = new ReferenceKernels();
        List<Integer> checkpointed = new java.util.ArrayList<>();
        Trainer.Listener listener = new Trainer.Listener() {
            public void step(TrainingState s, TrainStep.Result r, float lr, double seconds, int images) {
            }

            public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
                Path last = out.resolve(Trainer.LAST);
                try {
                    checkpointed.add(Files.exists(last) ? TrainingState.fromJson(Checkpoint.load(last).training(), "last.json").epoch() : -1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (Captioner m = new Captioner(k, MODEL, 1); AdamW opt = AdamW.standard(k)) {
            new Trainer(m, opt, new RandomData(), mm -> Map.of("CIDEr", 0.0), out, VOCABULARY, null)
                    .run(TrainingState.start(RECIPE.withEpochs(2)), listener, () -> false);
        }
        // A run killed after the report and before the checkpoint resumes from the epoch before, and logs the epoch again.
        assertEquals(List.of(-1, 1), checkpointed, "when epoch 1 and then 2 are reported, last.json still holds the epoch before");
    }

    @Test
    void aDivergingRunStopsAndKeepsItsLastGoodCheckpoint(@TempDir Path out) throws IOException {
        Kernels k = new ReferenceKernels();
        RandomData data = new RandomData();
        try (Captioner m = new Captioner(k, MODEL, 1); AdamW opt = AdamW.standard(k)) {
            Trainer trainer = new Trainer(m, opt, data, null, out, null, null);
            assertEquals(Trainer.Outcome.FINISHED, trainer.run(TrainingState.start(RECIPE.withEpochs(1)), QUIET, () -> false));
            byte[] good = Files.readAllBytes(out.resolve(Trainer.LAST));
            // The second epoch at a learning rate that throws every weight to 1e30: the loss overflows within a step or two.
            TrainingState next = new TrainingState(RECIPE.toBuilder().lr(1e30f).encoderLr(1e30f).warmupSteps(0).build(), 1, 0, 3, Double.NEGATIVE_INFINITY, 0);
            String message = assertThrows(TrainingDivergedException.class, () -> trainer.run(next, QUIET, () -> false)).getMessage();
            assertTrue(message.contains("diverged") && message.contains("epoch 2") && message.contains(out.resolve(Trainer.LAST).toString()), message);
            assertArrayEquals(good, Files.readAllBytes(out.resolve(Trainer.LAST)), "the last good checkpoint is kept as it was");
            Checkpoint.load(out.resolve(Trainer.LAST));
        }
    }
}
