package dev.vitcap.train;

import dev.vitcap.data.CachedCaptions;
import dev.vitcap.data.CaptionData;
import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.DatasetFormat;
import dev.vitcap.data.ImageCache;
import dev.vitcap.data.ImageCacheWriter;
import dev.vitcap.data.synth.Scene;
import dev.vitcap.data.synth.SceneRegions;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.eval.Evaluation;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.WeightSource;
import dev.vitcap.optim.AdamW;
import dev.vitcap.settings.Range;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import dev.vitcap.weights.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Training as a recipe: from an annotation file and its images to checkpoints. Images are decoded once
 * into a cache; the vocabulary is built from the training captions; each epoch ends with validation by
 * the COCO metrics, the best checkpoint kept by CIDEr-D; {@code OUT/log.jsonl} and {@code OUT/curves.png}
 * record the run. A stop request saves where the run stands; {@link #resume} continues it exactly.
 * Settings are given by name:
 * <pre>{@code
 * TrainingRun.Outcome o = new TrainingRun(annotations, images, out)
 *         .model(ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION))
 *         .recipe(TrainConfig.builder().epochs(5).build())
 *         .run(listener, () -> false);
 * }</pre>
 */
public final class TrainingRun {
    /** How the run ended, and the files it left. */
    public record Outcome(Trainer.Outcome how, boolean overTimeBudget, Path best, Path last) {
    }

    /** What a run reports: one-line notes ({@code data}, {@code vocab}, …), unreadable items, steps and epochs. */
    public interface Listener extends Trainer.Listener {
        /** A line about the run (what data it found, the model, the plan, how it ended). */
        void note(String line);

        /** An item left out: an unreadable image or an empty caption, one line naming it. */
        void skipped(String line);

        /** Training starts (or resumes) at {@code state}, in epochs of {@code batchesPerEpoch} steps. */
        void started(TrainingState state, int batchesPerEpoch);
    }

    /** The allowed values of the settings given here rather than in the {@link TrainConfig}. */
    public static final Range TIME_BUDGET_MINUTES = Range.aboveUpTo(0, 1e7), MIN_COUNT = Range.atLeast(1), EVAL_LIMIT = Range.atLeast(0),
            PAUSE_AFTER_EPOCHS = Range.atLeast(0);
    /** The validation metrics that can pick the best checkpoint; {@code truthful} needs a synthetic world's scenes. */
    public static final List<String> SELECTION_METRICS = List.of("CIDEr", "Bleu_4", "ROUGE_L", "truthful");

    private final Path annotations, images, out;
    private Path valAnnotations, valImages, encoderWeights, cache, init;
    private ModelConfig model = ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION);
    private TrainConfig recipe = TrainConfig.defaults();
    private Integer freezeEncoderEpochs;
    private Double timeBudgetMinutes;
    private String selectBy = "CIDEr";
    private int pauseAfterEpochs;
    private int minCount = 5, evalLimit = 1000, threads = Runtime.getRuntime().availableProcessors();
    private DecodeOptions evalDecoding = DecodeOptions.GREEDY, decoding;
    private boolean resume, overwrite;
    private String backend;

    /** Trains on {@code annotations} (format detected; its {@code train} split when it has splits) with images under {@code images}, writing to {@code out}. */
    public TrainingRun(Path annotations, Path images, Path out) {
        this.annotations = annotations;
        this.images = images;
        this.out = out;
    }

    /** Validation data (default: the {@code val} split of the annotations, if it has one); images default to the training images' folder. */
    public TrainingRun validation(Path annotations, Path images) {
        this.valAnnotations = annotations;
        this.valImages = images;
        return this;
    }

    /** The model's shape; the vocabulary size is filled in from the data, the caption length ({@code maxLength}) is the vocabulary's. */
    public TrainingRun model(ModelConfig shape) {
        this.model = shape;
        return this;
    }

    public TrainingRun recipe(TrainConfig config) {
        this.recipe = config;
        return this;
    }

    /** Epochs before the encoder trains (default: 1 with encoder weights, else 0). */
    public TrainingRun freezeEncoderEpochs(Integer epochs) {
        this.freezeEncoderEpochs = epochs;
        return this;
    }

    /** timm ViT weights (.safetensors) to start the encoder from. */
    public TrainingRun encoderWeights(Path weights) {
        this.encoderWeights = weights;
        return this;
    }

    /**
     * Start from a checkpoint's model, vocabulary and weights, with a fresh optimiser and schedule: the
     * cross-entropy model that self-critical training continues, or any model to fine-tune.
     */
    public TrainingRun init(Path checkpoint) {
        this.init = checkpoint;
        return this;
    }

    /**
     * Instead of the recipe's epochs: as many as fit in this time (planned from the trainer's own
     * measurements, re-planned after each epoch); the run also stops, saved, if it runs 15% over.
     */
    public TrainingRun timeBudgetMinutes(Double minutes) {
        if (minutes != null) TIME_BUDGET_MINUTES.check("the time budget (minutes)", minutes);
        this.timeBudgetMinutes = minutes;
        return this;
    }

    /** Words seen fewer times in training become {@code <unk>}. */
    public TrainingRun minCount(int count) {
        MIN_COUNT.check("min count", count);
        this.minCount = count;
        return this;
    }

    /** The image cache of the annotations (as {@code vitcap prepare} makes it; default {@code OUT/cache-SIZE}, made if missing). */
    public TrainingRun cache(Path dir) {
        this.cache = dir;
        return this;
    }

    /** Where a run in {@code out} caches its training images of side {@code size} when not given a {@link #cache}. */
    public static Path defaultCache(Path out, int size) {
        return out.resolve("cache-" + size);
    }

    /** Threads decoding images into the cache (default: all cores). */
    public TrainingRun threads(int n) {
        ImageCacheWriter.THREADS.check("threads", n);
        this.threads = n;
        return this;
    }

    /** How validation captions are decoded (default greedy), and on how many validation images each epoch (0: all). */
    public TrainingRun validationDecoding(DecodeOptions d, int limit) {
        EVAL_LIMIT.check("validation image limit", limit);
        this.evalDecoding = d;
        this.evalLimit = limit;
        return this;
    }

    /** The default decoding the checkpoints record for those who caption with them (default: greedy). */
    public TrainingRun decoding(DecodeOptions d) {
        this.decoding = d;
        return this;
    }

    /** Continue the run in {@code out} from its last checkpoint (its own recipe, vocabulary and shape). */
    public TrainingRun resume(boolean on) {
        this.resume = on;
        return this;
    }

    /**
     * Start afresh in an {@code out} that already holds a run, deleting its checkpoints, log and plot
     * first (its image cache is kept); without it, or {@link #resume}, such a folder is refused.
     */
    public TrainingRun overwrite(boolean on) {
        this.overwrite = on;
        return this;
    }

    /** The validation metric that picks {@code best.json} and counts epochs for early stopping (default {@code CIDEr}). */
    public TrainingRun selectBy(String metric) {
        this.selectBy = checkSelectionMetric(metric);
        return this;
    }

    /** {@code metric} if it is one of {@link #SELECTION_METRICS}; else an {@link IllegalArgumentException} saying which are. */
    public static String checkSelectionMetric(String metric) {
        if (!SELECTION_METRICS.contains(metric)) {
            throw new IllegalArgumentException("the metric must be one of " + String.join(", ", SELECTION_METRICS) + ", not '" + metric + "'");
        }
        return metric;
    }

    /**
     * Stop, saved, once this many epochs are done (0: never), with the learning-rate schedule of the
     * whole run: {@link #resume} continues it as if it had never paused. A search trains in such stages.
     */
    public TrainingRun pauseAfterEpochs(int epochs) {
        PAUSE_AFTER_EPOCHS.check("epochs before pausing", epochs);
        this.pauseAfterEpochs = epochs;
        return this;
    }

    /** The backend by name ({@code null}: the fastest usable). */
    public TrainingRun backend(String name) {
        this.backend = name;
        return this;
    }

    public Path out() {
        return out;
    }

    /** Refuses a position loss for a model continued from {@code file} without a position head: it would train nothing. */
    private void requirePositionHead(Checkpoint continued, Path file) {
        if (recipe.positionLoss() > 0 && continued != null && !continued.model().positionHead()) {
            throw new IllegalArgumentException("--position-loss trains a position head, and the model of " + file
                    + " has none: start a new model, or leave --position-loss out");
        }
    }

    /** Trains until the recipe's epochs, early stopping, the time budget or {@code stop} end the run. */
    public Outcome run(Listener listener, BooleanSupplier stop) throws IOException {
        long started = System.nanoTime();
        if (!resume && recipe.selfCritical() != null && init == null) {
            throw new IllegalArgumentException("self-critical training continues a cross-entropy model: give its checkpoint with --init");
        }
        if (init != null && encoderWeights != null) throw new IllegalArgumentException("--init starts the whole model from a checkpoint: drop --encoder-weights");
        Checkpoint initial = !resume && init != null ? Checkpoint.load(init) : null;
        if (initial != null && initial.vocabulary() == null) throw new FileFormatException(init + ": the checkpoint has no vocabulary");
        requirePositionHead(initial, init);
        claimOut(listener);
        Path lastFile = out.resolve(Trainer.LAST);
        Checkpoint resumed = resume ? Checkpoint.load(lastFile) : null;
        if (resumed != null && resumed.vocabulary() == null) throw new FileFormatException(lastFile + ": the checkpoint has no vocabulary");
        requirePositionHead(resumed, lastFile);
        Checkpoint continued = resumed != null ? resumed : initial;
        CaptionDataset all = DatasetFormat.detect(annotations).read(annotations, images);
        all.emptyCaptions().forEach(e -> listener.skipped("dropped " + e));
        CaptionDataset train = all.splits().contains(CaptionDataset.TRAIN) ? all.split(CaptionDataset.TRAIN) : all;
        CaptionDataset val = valAnnotations != null
                ? DatasetFormat.detect(valAnnotations).read(valAnnotations, valImages != null ? valImages : images)
                : all.split(CaptionDataset.VAL);
        if (train.size() == 0) throw new IOException(annotations + ": no training images");
        listener.note(String.format("data      %d training images (%d captions), %d validation images", train.size(), train.captionCount(), val.size()));

        Path trainScenes = SynthFiles.scenesBeside(annotations);
        Map<Integer, Scene> scenes = recipe.regionLoss() > 0 && trainScenes != null && Files.exists(trainScenes) ? SynthFiles.readScenes(trainScenes) : null;
        if (recipe.regionLoss() > 0 && scenes == null) {
            throw new IOException("the region loss needs region labels: the scenes of a synthetic world beside " + annotations);
        }
        ModelConfig shape = continued != null ? continued.model()
                : (scenes != null ? model.withRegionHead(SceneRegions.head(scenes)) : model).withPositionHead(model.positionHead() || recipe.positionLoss() > 0);
        Vocabulary vocabulary = continued != null ? continued.vocabulary()
                : Vocabulary.build(train.captions(), PtbTokenizer.instance()::tokenize, minCount, model.maxLength());
        shape = shape.withVocab(vocabulary.size());
        if (resumed == null && recipe.selfCritical() != null && shape.directions() != Directions.L2R) {
            throw new IllegalArgumentException("self-critical training trains a left-to-right decoder; " + init + " has directions "
                    + shape.directions().spelt());
        }
        listener.note(String.format("vocab     %d words (min count %d), captions of %d tokens", vocabulary.size(), vocabulary.minCount(), vocabulary.maxLength()));

        VitConfig vit = shape.encoder();
        // One cache holds every image of the annotation file (as `vitcap prepare` makes it); rows are read by split.
        ImageCache allCache = cache(all, cache != null ? cache : defaultCache(out, vit.imageHeight()), vit.imageHeight(), listener);
        String trainSplit = train == all ? null : CaptionDataset.TRAIN;
        ImageCache valCache = valAnnotations != null ? cache(val, out.resolve("cache-val-" + vit.imageHeight()), vit.imageHeight(), listener) : allCache;
        String valSplit = valAnnotations != null ? null : CaptionDataset.VAL;
        CaptionData cached = new CachedCaptions(allCache, trainSplit, vocabulary, vit.mean(), vit.std());
        CaptionData trainData = scenes != null ? new SceneRegions(cached, scenes) : cached;
        CaptionData valData = val.size() == 0 ? null : new CachedCaptions(valCache, valSplit, vocabulary, vit.mean(), vit.std()).first(evalLimit);

        Backends.Selection selection = Backends.select(backend);
        try (Kernels k = selection.kernels(); Captioner net = new Captioner(k, shape, recipe.seed()); AdamW adam = AdamW.standard(k)) {
            TrainingState state;
            Trainer.Planner planner = (s, sec) -> s.config().epochs();
            if (resumed != null) {
                resumed.restore(net, adam);
                state = TrainingState.fromJson(resumed.training(), lastFile.toString());
                listener.note(String.format("resume    epoch %d, batch %d, step %d", state.epoch() + 1, state.batch(), state.step()));
            } else {
                if (initial != null) {
                    initial.restore(net, null);
                    listener.note("init      " + init);
                }
                if (encoderWeights != null) loadEncoder(net, encoderWeights);
                TrainConfig c = recipe.toBuilder().freezeEncoderEpochs(freezeEncoderEpochs != null ? freezeEncoderEpochs : encoderWeights != null ? 1 : 0).build();
                if (timeBudgetMinutes != null) {
                    double budget = timeBudgetMinutes * 60;
                    int planned = epochsWithin(budget - seconds(started), k, shape, initial, trainData, valData, vocabulary, c, listener);
                    c = c.withEpochs(planned);
                    // After each epoch: as many more as the measured epoch time says still fit.
                    planner = (s, sec) -> s.epoch() + (int) Math.max(0, (budget - seconds(started)) / sec);
                }
                state = TrainingState.start(c);
            }
            listener.note(String.format("model     %s decoder%s, %d×%d images, %d parameters, on %s", shape.decoder().kind().name().toLowerCase(),
                    shape.directions() == Directions.L2R ? "" : " (" + shape.directions().spelt() + ")",
                    vit.imageHeight(), vit.imageWidth(), net.encoderParams.count() + net.decoderParams.count() + net.reverseParams.count(), selection.chosen().name()));
            Evaluation.Extra truth = Evaluation.truthfulness(valAnnotations != null ? SynthFiles.scenesBeside(valAnnotations) : trainScenes);
            if (selectBy.equals("truthful") && (truth == null || valData == null)) {
                throw new IOException("selecting by truthful needs validation data of a synthetic world, with its scenes beside "
                        + (valAnnotations != null ? valAnnotations : annotations));
            }
            Trainer.Evaluator evaluator = valData == null ? null : m -> Evaluation.run(m, valData, vocabulary, evalDecoding, truth).metrics();
            Trainer trainer = new Trainer(net, adam, trainData, evaluator, out, vocabulary, decoding).selectingBy(selectBy).pausingAfter(pauseAfterEpochs)
                    .validatingStart(initial != null);
            long deadline = timeBudgetMinutes == null ? Long.MAX_VALUE : started + (long) (timeBudgetMinutes * 60e9 * 1.15);
            boolean[] overTime = {false};
            int[] epochsDone = {0}; // the budget never stops a run before its first trained epoch and checkpoint
            Trainer.Outcome outcome;
            listener.started(state, trainer.batchesPerEpoch(state.config()));
            try (TrainingLog log = TrainingLog.open(out.resolve("log.jsonl"), state.step())) {
                outcome = trainer.run(state, new Trainer.Listener() {
                    @Override
                    public void step(TrainingState s, TrainStep.Result r, float rate, double seconds, int n) {
                        log.step(s, r, rate, n / seconds);
                        listener.step(s, r, rate, seconds, n);
                    }

                    @Override
                    public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
                        log.epoch(s, metrics, best);
                        listener.epoch(s, metrics, best);
                        if (s.epoch() > 0) epochsDone[0]++; // epoch 0 validated the starting model: no training yet
                    }
                }, () -> stop.getAsBoolean() || (overTime[0] = epochsDone[0] > 0 && System.nanoTime() > deadline), planner);
            }
            boolean budgetStopped = outcome == Trainer.Outcome.INTERRUPTED && overTime[0] && !stop.getAsBoolean();
            if (budgetStopped) {
                outcome = Trainer.Outcome.STOPPED_EARLY;
                listener.note(String.format("%nstopped: over the time budget; saved %s", lastFile));
            } else if (outcome == Trainer.Outcome.STOPPED_EARLY) {
                listener.note("stopped early: no better validation " + (selectBy.equals("CIDEr") ? "CIDEr-D" : selectBy) + " for " + state.config().patience() + " epochs");
            }
            CurvePlot.write(out.resolve("log.jsonl"), out.resolve("curves.png"));
            return new Outcome(outcome, budgetStopped, out.resolve(Trainer.BEST), lastFile);
        }
    }

    /**
     * A finished or interrupted run is never replaced by accident: a folder holding one is refused
     * unless the run resumes it or was told to overwrite it. Checked before any data is read.
     */
    private void claimOut(Listener listener) throws IOException {
        Path[] checkpoints = {out.resolve(Trainer.BEST), out.resolve(Trainer.LAST)};
        List<String> held = Arrays.stream(checkpoints).filter(Files::exists).map(p -> p.getFileName().toString()).toList();
        if (resume && overwrite) throw new IllegalArgumentException("resume continues the run in the output folder, overwrite replaces it: give one");
        if (resume && !held.contains(Trainer.LAST)) {
            throw new FileFormatException(out + ": nothing to resume (no " + Trainer.LAST + "); start the run afresh, "
                    + (held.isEmpty() ? "without --resume" : "with --overwrite instead of --resume"));
        }
        if (!resume && !held.isEmpty() && !overwrite) {
            throw new FileFormatException(out + ": already holds a training run (" + String.join(", ", held)
                    + "); add --resume to continue it or --overwrite to replace it");
        }
        if (overwrite && !held.isEmpty()) {
            listener.note("replacing the run in " + out + " (its checkpoints, log and plot are deleted)");
            for (Path c : checkpoints) Checkpoint.delete(c);
            Files.deleteIfExists(out.resolve("log.jsonl"));
            Files.deleteIfExists(out.resolve("curves.png"));
        }
        Files.createDirectories(out);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * How many epochs fit in {@code seconds}: a throwaway copy of the model (with the initial weights, if
     * any) runs the trainer's own
     * step on a batch of real data, and the decoder captions it, until a slice of the budget is spent;
     * each epoch costs one pass over the training images plus one validation.
     */
    private int epochsWithin(double seconds, Kernels k, ModelConfig shape, Checkpoint initial, CaptionData train, CaptionData val, Vocabulary vocabulary,
                             TrainConfig c, Listener listener) throws FileFormatException {
        try (Captioner probe = new Captioner(k, shape, c.seed() + 1); AdamW adam = AdamW.standard(k)) {
            // Started as the run starts: a self-critical step's cost depends on how long the model's captions are.
            if (initial != null) initial.restore(probe, null);
            Trainer.Speed speed = new Trainer(probe, adam, train, null, out, vocabulary, null).measure(c, Math.min(20, seconds * 0.04), evalDecoding);
            double epochSeconds = train.size() / speed.trainImagesPerSecond() + (val == null ? 0 : val.size() / speed.captionImagesPerSecond());
            int fit = Math.max(1, (int) ((seconds - speed.seconds()) / epochSeconds));
            listener.note(String.format("budget    %.0f s: training %.0f img/s, captioning %.0f img/s, so about %d epochs of %.0f s (re-planned after each)",
                    seconds, speed.trainImagesPerSecond(), speed.captionImagesPerSecond(), fit, epochSeconds));
            return fit;
        }
    }

    /** Decodes a dataset's images once into {@code dir} (reused, or finished, when it already holds them). */
    private ImageCache cache(CaptionDataset data, Path dir, int size, Listener listener) throws IOException {
        ImageCacheWriter.Summary s = new ImageCacheWriter(dir, data, size, threads, (image, reason) -> listener.skipped("skipped " + image + ": " + reason)).run();
        if (!s.complete()) throw new IOException(dir + ": image cache not finished");
        listener.note(String.format("images    %s: %d decoded, %d skipped as unreadable, %d reused", dir, s.ok() - s.reused(), s.skipped(), s.reused()));
        return ImageCache.open(dir);
    }

    private static void loadEncoder(Captioner net, Path weights) throws IOException {
        Map<String, WeightSource> w = SafeTensors.read(weights).tensors();
        try {
            net.encoderParams.load(w, "");
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(weights + ": " + e.getMessage());
        }
    }
}
