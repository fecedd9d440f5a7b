package dev.vitcap.train;

import dev.vitcap.data.CaptionData;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.metrics.CiderDReward;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.VitConfig;
import dev.vitcap.optim.AdamW;
import dev.vitcap.optim.Schedule;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The training loop: epochs over a shuffled order, one reference caption drawn per image per visit
 * (or, for a self-critical recipe, captions sampled and rewarded: {@link SelfCriticalStep}),
 * warm-up and cosine learning rates, the encoder frozen for its first epochs, validation after each
 * epoch, the best checkpoint kept by CIDEr-D (or the metric {@link #selectingBy} names), early stopping,
 * a pause at an epoch's end ({@link #pausingAfter}, for a search that trains in stages). Everything random is derived from the
 * recipe's seed and the step counters, so a run stopped (Ctrl-C) and resumed from its checkpoint ends
 * with the same weights as one never stopped.
 */
public final class Trainer {
    /** Scores a model on the validation data; the map holds at least {@code CIDEr} (and the metric selected by). */
    public interface Evaluator {
        Map<String, Double> evaluate(Captioner model);
    }

    /**
     * Decides, after each epoch, how many epochs the run has in all (a time budget re-plans from the
     * measured epoch time); the new count is saved with the state, so a resumed run keeps it.
     */
    public interface Planner {
        int epochs(TrainingState state, double lastEpochSeconds);
    }

    /** What the loop reports, for the progress bar and the log; an epoch before its checkpoints are written. */
    public interface Listener {
        void step(TrainingState state, TrainStep.Result result, float lr, double seconds, int images);

        void epoch(TrainingState state, Map<String, Double> metrics, boolean best);
    }

    /** {@code PAUSED}: saved at the end of the epoch {@link #pausingAfter} names, to be resumed later. */
    public enum Outcome { FINISHED, STOPPED_EARLY, INTERRUPTED, PAUSED }

    public static final String LAST = "last.json", BEST = "best.json";

    private final Captioner model;
    private final TrainStep step;
    private final CaptionData train;
    private final Evaluator evaluator;
    private final Path out;
    private final Vocabulary vocabulary;
    private final DecodeOptions decoding;
    private String selectBy = "CIDEr";
    private int pauseAfter;
    private boolean validateStart;
    private SelfCriticalStep selfCritical; // made at the first self-critical step
    private CiderDReward.References[] references;

    /** @param decoding the default decoding its checkpoints record (null: greedy) */
    public Trainer(Captioner model, AdamW optimizer, CaptionData train, Evaluator evaluator, Path out, Vocabulary vocabulary,
                   DecodeOptions decoding) {
        this.model = model;
        this.step = new TrainStep(model, optimizer);
        this.train = train;
        this.evaluator = evaluator;
        this.out = out;
        this.vocabulary = vocabulary;
        this.decoding = decoding;
    }

    /** The validation metric that picks the best checkpoint and counts epochs for early stopping (default {@code CIDEr}). */
    public Trainer selectingBy(String metric) {
        this.selectBy = metric;
        return this;
    }

    /** Stop, saved, once this many epochs are done (0: never); resuming continues on the same schedule. */
    public Trainer pausingAfter(int epochs) {
        this.pauseAfter = epochs;
        return this;
    }

    /**
     * Validate the starting weights before the first step, as epoch 0 (for a run that starts from a
     * checkpoint): the log and the curves begin where the run began, and {@code best.json} starts as
     * that model, replaced only by a better one.
     */
    public Trainer validatingStart(boolean on) {
        this.validateStart = on;
        return this;
    }

    public int batchesPerEpoch(TrainConfig c) {
        return (train.size() + c.batchSize() - 1) / c.batchSize();
    }

    /** The order images are visited in during an epoch: a seeded shuffle. */
    static int[] order(int size, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public Outcome run(TrainingState start, Listener listener, BooleanSupplier stopRequested) throws IOException {
        return run(start, listener, stopRequested, (s, seconds) -> s.config().epochs());
    }

    public Outcome run(TrainingState start, Listener listener, BooleanSupplier stopRequested, Planner planner) throws IOException {
        TrainConfig c = start.config();
        int perEpoch = batchesPerEpoch(c);
        Schedule lr = new Schedule(c.lr(), c.warmupSteps(), perEpoch * c.epochs(), c.minLrRatio());
        Schedule encoderLr = new Schedule(c.encoderLr(), c.warmupSteps(), perEpoch * c.epochs(), c.minLrRatio());
        int[] consensus = c.consensusReference() ? ConsensusReferences.choose(train) : null;
        TrainingState s = start;
        if (validateStart && evaluator != null && s.step() == 0) {
            Map<String, Double> metrics = evaluator.evaluate(model);
            s = new TrainingState(c, 0, 0, 0, metrics.getOrDefault(selectBy, Double.NEGATIVE_INFINITY), 0);
            save(BEST, null, s);
            listener.epoch(s, metrics, true);
        }
        while (s.epoch() < c.epochs()) {
            if (pauseAfter > 0 && s.batch() == 0 && s.epoch() >= pauseAfter) return Outcome.PAUSED;
            long epochStart = System.nanoTime();
            int[] order = order(train.size(), c.seed(), s.epoch());
            for (int b = s.batch(); b < perEpoch; b++) {
                if (stopRequested.getAsBoolean()) {
                    TrainingState paused = new TrainingState(c, s.epoch(), b, s.step(), s.bestScore(), s.epochsWithoutImprovement());
                    save(LAST, step.optimizer(), paused);
                    return Outcome.INTERRUPTED;
                }
                long began = System.nanoTime();
                int from = b * c.batchSize(), n = Math.min(c.batchSize(), train.size() - from);
                float rate = lr.at(s.step());
                TrainStep.Result r = step(c, s, order, from, n, consensus, rate, encoderLr.at(s.step()));
                if (!Double.isFinite(r.loss()) || !Double.isFinite(r.gradNorm())) throw diverged(s, b, r, rate);
                s = new TrainingState(c, s.epoch(), b + 1, s.step() + 1, s.bestScore(), s.epochsWithoutImprovement());
                listener.step(s, r, rate, (System.nanoTime() - began) / 1e9, n);
            }
            Map<String, Double> metrics = evaluator == null ? Map.of() : evaluator.evaluate(model);
            double score = metrics.getOrDefault(selectBy, Double.NaN);
            boolean best = !Double.isNaN(score) && score > s.bestScore();
            s = new TrainingState(c, s.epoch() + 1, 0, s.step(), best ? score : s.bestScore(), best ? 0 : s.epochsWithoutImprovement() + 1);
            int planned = planner.epochs(s, (System.nanoTime() - epochStart) / 1e9);
            if (planned != c.epochs()) {
                c = c.withEpochs(Math.max(s.epoch(), planned));
                lr = new Schedule(c.lr(), c.warmupSteps(), perEpoch * c.epochs(), c.minLrRatio());
                encoderLr = new Schedule(c.encoderLr(), c.warmupSteps(), perEpoch * c.epochs(), c.minLrRatio());
                s = new TrainingState(c, s.epoch(), s.batch(), s.step(), s.bestScore(), s.epochsWithoutImprovement());
            }
            // The epoch is logged before the checkpoint that says it is done: a run killed between the two
            // resumes from the previous checkpoint, which drops the record and trains the epoch again, where
            // the other order would resume past an epoch whose validation was never written.
            listener.epoch(s, metrics, best);
            if (best || evaluator == null) save(BEST, null, s);
            save(LAST, step.optimizer(), s);
            if (evaluator != null && c.patience() > 0 && s.epochsWithoutImprovement() >= c.patience() && s.epoch() < c.epochs()) {
                return Outcome.STOPPED_EARLY;
            }
        }
        return Outcome.FINISHED;
    }

    /** The step has already put the bad gradient into the weights: nothing is saved, the last checkpoint stays as it was. */
    private TrainingDivergedException diverged(TrainingState s, int batch, TrainStep.Result r, float rate) {
        Path last = out.resolve(LAST);
        return new TrainingDivergedException(String.format(
                "training diverged: the %s is %s at step %d (epoch %d, batch %d, learning rate %.3g); stopped without saving, %s; try a lower --lr or --clip",
                Double.isFinite(r.loss()) ? "gradient norm" : "loss", Double.isFinite(r.loss()) ? r.gradNorm() : r.loss(), s.step() + 1,
                s.epoch() + 1, batch + 1, rate, Files.exists(last) ? "the last good checkpoint is " + last : "no checkpoint was saved yet"));
    }

    private void save(String name, AdamW optimizer, TrainingState s) throws IOException {
        Checkpoint.save(out.resolve(name), model, optimizer, vocabulary, decoding, s.toJson());
    }

    /** One optimisation step on images {@code order[from … from + n)}, each with one of its references. */
    private TrainStep.Result step(TrainConfig c, TrainingState s, int[] order, int from, int n, int[] consensus, float rate, float encoderRate) {
        VitConfig vit = model.config.encoder();
        int pixels = vit.channels() * vit.imageHeight() * vit.imageWidth();
        float[] images = new float[n * pixels];
        // A self-critical step trains on the captions it samples, without region labels.
        boolean crossEntropy = c.selfCritical() == null;
        int[][] captions = crossEntropy ? new int[n][] : null;
        int[][] regions = crossEntropy && train.regions(0) != null ? new int[n][] : null;
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            train.image(index, images, i * pixels);
            if (regions != null) regions[i] = train.regions(index);
            if (captions == null) continue;
            int refs = train.references(index).size();
            captions[i] = train.encoded(index, consensus != null ? consensus[index]
                    : new Random(c.seed() * 31 + s.step() * 1_000_003L + i).nextInt(refs));
        }
        StepOptions options = StepOptions.of(c, rate, encoderRate, s.epoch() >= c.freezeEncoderEpochs(), c.seed() * 1_000_003L + s.step());
        try (Tensor img = model.kernels.upload(images, n, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
            if (!crossEntropy) return selfCriticalStep().run(img, references(order, from, n), c.selfCritical(), options);
            return step.run(img, captions, Vocabulary.PAD, regions, options);
        }
    }

    /** The self-critical step, its reward's document frequencies counted over the training references. */
    private SelfCriticalStep selfCriticalStep() {
        if (selfCritical == null) {
            List<List<String>> sets = new ArrayList<>(train.size());
            for (int i = 0; i < train.size(); i++) sets.add(train.references(i));
            selfCritical = new SelfCriticalStep(model, step, CiderDReward.fromReferenceSets(sets), vocabulary);
            references = new CiderDReward.References[train.size()];
        }
        return selfCritical;
    }

    /** The references of images {@code order[from … from + n)}, each tokenised once per run. */
    private List<CiderDReward.References> references(int[] order, int from, int n) {
        CiderDReward reward = selfCritical.reward();
        List<CiderDReward.References> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            if (references[index] == null) references[index] = reward.references(train.references(index));
            out.add(references[index]);
        }
        return out;
    }

    /** Images per second this trainer trains and captions at, and the seconds measuring took. */
    public record Speed(double trainImagesPerSecond, double captionImagesPerSecond, double seconds) {
    }

    /**
     * Measures this trainer on this machine: its own training step on the first batch of the data,
     * repeated until {@code seconds} are spent (at least six times), timing only the second half (the
     * first are slowed by the JIT compiling the kernels), then captioning that batch. It trains the
     * model: measure on a throwaway copy.
     */
    public Speed measure(TrainConfig c, double seconds, DecodeOptions captioning) {
        long began = System.nanoTime();
        int n = Math.min(c.batchSize(), train.size());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        TrainingState s = TrainingState.start(c);
        List<Long> ends = new ArrayList<>();
        while (ends.size() < 6 || System.nanoTime() - began < seconds * 1e9) {
            step(c, s, order, 0, n, null, c.lr(), c.encoderLr());
            ends.add(System.nanoTime());
        }
        int half = ends.size() / 2;
        double trainRate = (ends.size() - 1 - half) * n / ((ends.get(ends.size() - 1) - ends.get(half)) / 1e9);
        CaptionData batch = train.first(n);
        Decoding.all(model, batch, captioning, Vocabulary.START, Vocabulary.END, n);
        long t1 = System.nanoTime();
        Decoding.all(model, batch, captioning, Vocabulary.START, Vocabulary.END, n);
        double captionRate = n / ((System.nanoTime() - t1) / 1e9);
        return new Speed(trainRate, captionRate, (System.nanoTime() - began) / 1e9);
    }
}
