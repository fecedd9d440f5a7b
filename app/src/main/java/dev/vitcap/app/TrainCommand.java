package dev.vitcap.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.data.CachedCaptions;
import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.DatasetFormat;
import dev.vitcap.data.ImageCache;
import dev.vitcap.data.ImageCacheWriter;
import dev.vitcap.data.synth.Scene;
import dev.vitcap.data.synth.SceneRegions;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.decode.Decoding;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.model.WeightSource;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.train.AdamW;
import dev.vitcap.train.CaptionData;
import dev.vitcap.train.Evaluation;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.Trainer;
import dev.vitcap.train.TrainingState;
import dev.vitcap.weights.Checkpoint;
import dev.vitcap.weights.SafeTensors;
import dev.vitcap.weights.WeightsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vitcap train}: from an annotation file and its images to checkpoints. Images are decoded
 * once into a cache in the output folder; the vocabulary is built from the training captions; each
 * epoch ends with validation by the COCO metrics, the best checkpoint kept by CIDEr-D. Ctrl-C or
 * SIGTERM saves where the run stands; {@code --resume} continues it exactly.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a captioner on a dataset (COCO captions, Karpathy split, Flickr8k tokens, CSV or JSON Lines).",
                "Writes OUT/best.json + .safetensors (by validation CIDEr-D), OUT/last.*, OUT/log.jsonl and OUT/curves.png."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Option(names = "--annotations", required = true, paramLabel = "FILE", description = "Training captions; the format is detected.")
    Path annotations;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder the annotation file's image names are relative to.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where checkpoints, the log, the plot and the image cache go.")
    Path out;

    @Option(names = "--val-annotations", paramLabel = "FILE", description = "Validation captions (default: the 'val' split of --annotations, if it has one).")
    Path valAnnotations;

    @Option(names = "--val-images", paramLabel = "DIR", description = "Images of --val-annotations (default: --images).")
    Path valImages;

    @Option(names = "--model", defaultValue = "small", description = "Model preset: tiny, small or base (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--config", paramLabel = "FILE.json", description = "A model config (the 'model' object of a checkpoint's JSON) instead of --model.")
    Path config;

    @Option(names = "--decoder", defaultValue = "attention", description = "attention or showtell (default: ${DEFAULT-VALUE}).")
    String decoder;

    @Option(names = "--image-size", description = "Input image side in pixels (a multiple of the patch size; default: the preset's).")
    Integer imageSize;

    @Option(names = "--max-length", defaultValue = "20", description = "Caption length in tokens with <start> and <end> (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--min-count", defaultValue = "5", description = "Words seen fewer times in training become <unk> (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--encoder-weights", paramLabel = "FILE", description = "timm ViT weights (.safetensors) to start the encoder from.")
    Path encoderWeights;

    @Option(names = "--epochs", defaultValue = "10")
    int epochs;

    @Option(names = "--time-budget", paramLabel = "MINUTES",
            description = "Instead of --epochs: as many epochs as fit in this time (measured on a throwaway copy of the model first); training also stops, saved, if it runs 15% over.")
    Double timeBudget;

    @Option(names = "--batch", defaultValue = "32")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate of the decoder (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--encoder-lr", defaultValue = "3e-4", description = "Peak learning rate of the encoder once it trains (default: ${DEFAULT-VALUE}).")
    float encoderLr;

    @Option(names = "--weight-decay", defaultValue = "0.01")
    float weightDecay;

    @Option(names = "--warmup", defaultValue = "200", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--min-lr-ratio", defaultValue = "0.05", description = "Cosine decay ends at this fraction of the peak (default: ${DEFAULT-VALUE}).")
    float minLrRatio;

    @Option(names = "--clip", defaultValue = "5", description = "Global gradient-norm clip (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--label-smoothing", defaultValue = "0.1")
    float labelSmoothing;

    @Option(names = "--attention-reg", defaultValue = "1", description = "Weight λ of the attention regulariser (default: ${DEFAULT-VALUE}).")
    float attentionReg;

    @Option(names = "--region-loss", defaultValue = "0", description = "Weight of the auxiliary region loss, where the data has region labels (default: ${DEFAULT-VALUE}).")
    float regionLoss;

    @Option(names = "--references", defaultValue = "all", description = "Which reference to train on per image: all (one drawn at random each time) or consensus (default: ${DEFAULT-VALUE}).")
    String references;

    @Option(names = "--freeze-encoder-epochs", description = "Epochs before the encoder trains (default: 1 with --encoder-weights, else 0).")
    Integer freezeEncoderEpochs;

    @Option(names = "--patience", defaultValue = "3", description = "Epochs without a better validation CIDEr-D before stopping (0: never).")
    int patience;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--eval-beam", defaultValue = "1", description = "Beam width for validation captions (default: ${DEFAULT-VALUE}, greedy).")
    int evalBeam;

    @Option(names = "--eval-limit", defaultValue = "1000", description = "Validation images used per epoch (default: ${DEFAULT-VALUE}).")
    int evalLimit;

    @Option(names = "--cache", paramLabel = "DIR", description = "The image cache of --annotations (as `vitcap prepare` makes it; default: OUT/cache-SIZE, made if missing).")
    Path cache;

    @Option(names = "--threads", description = "Threads decoding images into the cache (default: all cores).")
    Integer threads;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public Integer call() throws IOException {
        return run(System.out) == Trainer.Outcome.INTERRUPTED ? 130 : 0;
    }

    /** Trains, printing progress to {@code out}; returns how the run ended. */
    Trainer.Outcome run(PrintStream out) throws IOException {
        long started = System.nanoTime();
        if (!references.equals("all") && !references.equals("consensus")) {
            throw new IllegalArgumentException("--references must be all or consensus, not '" + references + "'");
        }
        Files.createDirectories(this.out);
        CaptionDataset all = DatasetFormat.detect(annotations).read(annotations, images);
        all.emptyCaptions().forEach(e -> System.err.println("dropped " + e));
        CaptionDataset train = all.splits().contains(CaptionDataset.TRAIN) ? all.split(CaptionDataset.TRAIN) : all;
        CaptionDataset val = valAnnotations != null
                ? DatasetFormat.detect(valAnnotations).read(valAnnotations, valImages != null ? valImages : images)
                : all.split(CaptionDataset.VAL);
        if (train.size() == 0) throw new IOException(annotations + ": no training images");
        out.printf("data      %d training images (%d captions), %d validation images%n", train.size(), train.captionCount(), val.size());

        Path trainScenes = SynthFiles.scenesBeside(annotations);
        Map<Integer, Scene> scenes = regionLoss > 0 && trainScenes != null && Files.exists(trainScenes) ? SynthFiles.readScenes(trainScenes) : null;
        if (regionLoss > 0 && scenes == null) {
            throw new IOException("--region-loss needs region labels: the scenes of a synthetic world beside " + annotations);
        }
        Checkpoint resumed = resume ? Checkpoint.load(this.out.resolve(Trainer.LAST)) : null;
        ModelConfig shape = resumed != null ? resumed.model() : scenes != null ? modelConfig().withRegionHead(SceneRegions.head(scenes)) : modelConfig();
        Vocabulary vocabulary = resumed != null
                ? Vocabulary.fromJson(resumed.vocabulary(), this.out.resolve(Trainer.LAST).toString(), PtbTokenizer.instance()::tokenize)
                : Vocabulary.build(train.captions(), PtbTokenizer.instance()::tokenize, minCount, maxLength);
        shape = shape.withVocab(vocabulary.size());
        out.printf("vocab     %d words (min count %d), captions of %d tokens%n", vocabulary.size(), vocabulary.minCount(), vocabulary.maxLength());

        VitConfig vit = shape.encoder();
        // One cache holds every image of the annotation file (as `vitcap prepare` makes it); rows are read by split.
        ImageCache allCache = cache(all, cache != null ? cache : this.out.resolve("cache-" + vit.imageHeight()), vit.imageHeight(), out);
        String trainSplit = train == all ? null : CaptionDataset.TRAIN;
        ImageCache valCache = valAnnotations != null ? cache(val, this.out.resolve("cache-val-" + vit.imageHeight()), vit.imageHeight(), out) : allCache;
        String valSplit = valAnnotations != null ? null : CaptionDataset.VAL;
        CaptionData cached = new CachedCaptions(allCache, trainSplit, vocabulary, vit.mean(), vit.std());
        CaptionData trainData = scenes != null ? new SceneRegions(cached, scenes) : cached;
        CaptionData valData = val.size() == 0 ? null : limited(new CachedCaptions(valCache, valSplit, vocabulary, vit.mean(), vit.std()), evalLimit);

        Backends.Selection selection = backend.select();
        try (Kernels k = selection.kernels(); Captioner net = new Captioner(k, shape, seed); AdamW adam = AdamW.standard(k)) {
            TrainingState state;
            if (resumed != null) {
                resumed.restore(net, adam);
                state = resumed.training();
                out.printf("resume    epoch %d, batch %d, step %d%n", state.epoch() + 1, state.batch(), state.step());
            } else {
                if (encoderWeights != null) loadEncoder(net, encoderWeights);
                int planned = timeBudget == null ? epochs : epochsWithin(timeBudget * 60 - (System.nanoTime() - started) / 1e9, k, shape, trainData, valData, out);
                state = TrainingState.start(new TrainConfig(planned, batch, lr, encoderLr, weightDecay, warmup, minLrRatio, clip,
                        labelSmoothing, attentionReg, regionLoss, references.equals("consensus"), freezeEncoderEpochs != null ? freezeEncoderEpochs : encoderWeights != null ? 1 : 0, patience, seed));
            }
            out.printf("model     %s decoder, %d×%d images, %d parameters, on %s%n", shape.decoder().kind().name().toLowerCase(),
                    vit.imageHeight(), vit.imageWidth(), net.encoderParams.count() + net.decoderParams.count(), selection.chosen().name());
            Decoding decoding = evalBeam > 1 ? Decoding.beam(evalBeam, vocabulary.maxLength() - 1, Vocabulary.START, Vocabulary.END)
                    : Decoding.greedy(vocabulary.maxLength() - 1, Vocabulary.START, Vocabulary.END);
            var truth = EvaluateCommand.truthfulness(valAnnotations != null ? SynthFiles.scenesBeside(valAnnotations) : trainScenes);
            Trainer.Evaluator evaluator = valData == null ? null
                    : m -> Evaluation.run(m, valData, vocabulary, decoding, 64, truth).metrics();
            Trainer trainer = new Trainer(net, adam, trainData, evaluator, this.out, vocabulary.toJson(), Vocabulary.PAD);
            TrainingLog log = TrainingLog.open(this.out.resolve("log.jsonl"), state.step());
            ProgressBar bar = new ProgressBar(out, trainer.batchesPerEpoch(state.config()), state.config().epochs());
            Trainer.Outcome outcome;
            long deadline = timeBudget == null ? Long.MAX_VALUE : started + (long) (timeBudget * 60e9 * 1.15);
            // With a time budget, the number of epochs follows the measured epoch time: as many as still fit.
            Trainer.Planner planner = timeBudget == null || resumed != null ? (st, sec) -> st.config().epochs()
                    : (st, sec) -> st.epoch() + (int) Math.max(0, (timeBudget * 60 - (System.nanoTime() - started) / 1e9) / sec);
            boolean[] overTime = {false};
            int[] epochsDone = {0}; // the budget never stops a run before its first checkpoint
            try (StopOnSignal stop = new StopOnSignal(() -> out.println(), 120)) {
                try {
                    outcome = trainer.run(state, new Trainer.Listener() {
                        @Override
                        public void step(TrainingState s, dev.vitcap.train.TrainStep.Result r, float rate, double seconds, int n) {
                            log.step(s, r, rate, n / seconds);
                            bar.step(s, r.loss(), n, seconds);
                        }

                        @Override
                        public void epoch(TrainingState s, Map<String, Double> metrics, boolean best) {
                            log.epoch(s, metrics, best);
                            bar.epoch(s, metrics, best);
                            epochsDone[0]++;
                        }
                    }, () -> stop.requested() || (overTime[0] = epochsDone[0] > 0 && System.nanoTime() > deadline), planner);
                } finally {
                    log.close();
                }
                if (outcome == Trainer.Outcome.INTERRUPTED && overTime[0] && !stop.requested()) {
                    outcome = Trainer.Outcome.STOPPED_EARLY;
                    out.printf("%nstopped: over the time budget; saved %s%n", this.out.resolve(Trainer.LAST));
                }
                switch (outcome) {
                    case INTERRUPTED -> out.printf("%nstopped: saved %s; continue with the same command and --resume%n", this.out.resolve(Trainer.LAST));
                    case STOPPED_EARLY -> {
                        if (!overTime[0]) out.printf("stopped early: no better validation CIDEr-D for %d epochs%n", state.config().patience());
                    }
                    case FINISHED -> out.println("finished");
                }
                out.flush();
            }
            CurvePlot.write(this.out.resolve("log.jsonl"), this.out.resolve("curves.png"));
            out.printf("wrote     %s (best), %s, %s, %s%n", this.out.resolve(Trainer.BEST), this.out.resolve(Trainer.LAST),
                    this.out.resolve("log.jsonl"), this.out.resolve("curves.png"));
            return outcome;
        }
    }

    /**
     * How many epochs fit in {@code seconds}: a throwaway copy of the model times a few training steps
     * and one batch of validation captioning on real data, and each epoch costs one pass over the
     * training images plus one validation.
     */
    private int epochsWithin(double seconds, Kernels k, ModelConfig shape, CaptionData train, CaptionData val, PrintStream out) {
        int n = Math.min(batch, train.size());
        VitConfig vit = shape.encoder();
        int pixels = vit.channels() * vit.imageHeight() * vit.imageWidth();
        float[] images = new float[n * pixels];
        int[][] captions = new int[n][];
        for (int i = 0; i < n; i++) {
            train.image(i, images, i * pixels);
            captions[i] = train.encoded(i, 0);
        }
        try (Captioner probe = new Captioner(k, shape, seed + 1); AdamW adam = AdamW.standard(k);
             var img = k.upload(images, n, vit.channels(), vit.imageHeight(), vit.imageWidth())) {
            var step = new dev.vitcap.train.TrainStep(probe, adam);
            var options = dev.vitcap.train.StepOptions.reference(0);
            // Steps until a slice of the budget is spent, timing only the second half: the first are
            // slowed by the JIT compiling the kernels.
            long began = System.nanoTime(), limit = (long) (Math.min(20, seconds * 0.04) * 1e9);
            List<Long> ends = new ArrayList<>();
            while (ends.size() < 6 || System.nanoTime() - began < limit) {
                step.run(img, captions, Vocabulary.PAD, options);
                ends.add(System.nanoTime());
            }
            int half = ends.size() / 2;
            double trainRate = (ends.size() - 1 - half) * n / ((ends.get(ends.size() - 1) - ends.get(half)) / 1e9);
            Decoding greedy = Decoding.greedy(maxLength - 1, Vocabulary.START, Vocabulary.END);
            greedy.run(probe, img, n);
            long t1 = System.nanoTime();
            greedy.run(probe, img, n);
            double decodeRate = n / ((System.nanoTime() - t1) / 1e9);
            double epochSeconds = train.size() / trainRate + (val == null ? 0 : val.size() / decodeRate);
            int fit = Math.max(1, (int) ((seconds - (System.nanoTime() - began) / 1e9) / epochSeconds));
            out.printf("budget    %.0f s: training %.0f img/s, captioning %.0f img/s, so about %d epochs of %.0f s (re-planned after each)%n",
                    seconds, trainRate, decodeRate, fit, epochSeconds);
            return fit;
        }
    }

    private ModelConfig modelConfig() throws IOException {
        DecoderConfig.Kind kind = switch (decoder) {
            case "attention" -> DecoderConfig.Kind.ATTENTION;
            case "showtell" -> DecoderConfig.Kind.SHOWTELL;
            default -> throw new IllegalArgumentException("--decoder must be attention or showtell, not '" + decoder + "'");
        };
        ModelConfig base;
        if (config != null) {
            try {
                JsonNode root = JSON.readTree(config.toFile());
                base = JSON.treeToValue(root.has("model") ? root.get("model") : root, ModelConfig.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new WeightsException(config + ": not a model config (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        } else {
            base = ModelConfig.preset(model, kind);
        }
        VitConfig v = base.encoder();
        if (imageSize != null) {
            v = new VitConfig(imageSize, imageSize, v.patch(), v.channels(), v.dim(), v.depth(), v.heads(), v.mlp(), v.qkvBias(),
                    v.classToken(), v.eps(), v.mean(), v.std());
        }
        return new ModelConfig(v, base.decoder(), maxLength);
    }

    /** Decodes a dataset's images once into {@code dir} (reused, or finished, when it already holds them). */
    private ImageCache cache(CaptionDataset data, Path dir, int size, PrintStream out) throws IOException {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ImageCacheWriter.Summary s = new ImageCacheWriter(dir, data, size, n, new ImageCacheWriter.Listener() {
            @Override
            public void skipped(Path image, String reason) {
                System.err.println("skipped " + image + ": " + reason);
            }

            @Override
            public void progress(int finished, int total, int skipped) {
            }
        }).run();
        if (!s.complete()) throw new IOException(dir + ": image cache not finished");
        out.printf("images    %s: %d decoded, %d skipped as unreadable, %d reused%n", dir, s.ok() - s.reused(), s.skipped(), s.reused());
        return ImageCache.open(dir);
    }

    private static void loadEncoder(Captioner net, Path weights) throws IOException {
        Map<String, WeightSource> w = SafeTensors.read(weights).tensors();
        try {
            net.encoderParams.load(w, "");
        } catch (IllegalArgumentException e) {
            throw new WeightsException(weights + ": " + e.getMessage());
        }
    }

    /** The first {@code limit} images of a dataset: validation each epoch need not read all of a large one. */
    static CaptionData limited(CaptionData data, int limit) {
        if (limit <= 0 || data.size() <= limit) return data;
        return new CaptionData() {
            public int size() {
                return limit;
            }

            public String id(int index) {
                return data.id(index);
            }

            public void image(int index, float[] dst, int offset) {
                data.image(index, dst, offset);
            }

            public List<String> references(int index) {
                return data.references(index);
            }

            public int[] encoded(int index, int which) {
                return data.encoded(index, which);
            }
        };
    }
}
