package dev.vitcap.app;

import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.PositionInit;
import dev.vitcap.train.SelfCritical;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.Trainer;
import dev.vitcap.train.TrainingRun;
import dev.vitcap.weights.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vitcap train}: the options of a {@link TrainingRun}, which does the work; Ctrl-C or SIGTERM
 * asks it to stop, and it saves where it stands.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a captioner on a dataset (COCO captions, Karpathy split, Flickr8k tokens, CSV or JSON Lines).",
                "Writes OUT/best.json and its weights (by validation CIDEr-D), OUT/last.json and its weights, OUT/log.jsonl and OUT/curves.png."})
final class TrainCommand implements Callable<Integer> {
    @Mixin BackendOption backend;

    @Option(names = "--annotations", required = true, paramLabel = "FILE", description = "Training captions; the format is detected.") Path annotations;
    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder the annotation file's image names are relative to.") Path images;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where checkpoints, the log, the plot and the image cache go.") Path out;
    @Option(names = "--val-annotations", paramLabel = "FILE", description = "Validation captions (default: the 'val' split of --annotations, if it has one).") Path valAnnotations;
    @Option(names = "--val-images", paramLabel = "DIR", description = "Images of --val-annotations (default: --images).") Path valImages;
    @Option(names = "--model", defaultValue = "small", converter = ModelOptions.Preset.class, description = "Model preset: tiny, small or base (default: ${DEFAULT-VALUE}).") String model;
    @Option(names = "--config", paramLabel = "FILE.json", description = "A model config (the 'model' object of a checkpoint's JSON) instead of --model.") Path config;
    @Option(names = "--decoder", defaultValue = "attention", converter = ModelOptions.Decoder.class, description = "attention or showtell (default: ${DEFAULT-VALUE}).") DecoderConfig.Kind decoder;
    @Option(names = "--directions", paramLabel = "l2r|r2l|both", converter = ModelOptions.Directions.class, description = "Which way the decoder reads: l2r, r2l (trained on reversed captions) or both (two decoders on one encoder, for --rescore; default: the --config's, else l2r).") Directions directions;
    @Option(names = "--pos-init", paramLabel = "trunc_normal|sincos", converter = ModelOptions.PositionInit.class, description = "How the encoder's position table starts: trunc_normal (timm's) or sincos (a 2-D sine-cosine table of each patch's row and column; default: the --config's, else trunc_normal).") PositionInit posInit;
    @Option(names = "--image-size", converter = Ranges.ImageSize.class, description = "Input image side in pixels, 1 to 1024 and a multiple of the patch size (default: the preset's).") Integer imageSize;
    @Option(names = "--max-length", defaultValue = "20", converter = Ranges.MaxLength.class, description = "Caption length in tokens with <start> and <end>, 2 to 1024 (default: ${DEFAULT-VALUE}).") int maxLength;
    @Option(names = "--min-count", defaultValue = "5", converter = Ranges.MinCount.class, description = "Words seen fewer times in training become <unk>; at least 1 (default: ${DEFAULT-VALUE}).") int minCount;
    @Option(names = "--encoder-weights", paramLabel = "FILE", description = "timm ViT weights (.safetensors) to start the encoder from.") Path encoderWeights;
    @Option(names = "--epochs", defaultValue = "10", converter = Ranges.Epochs.class, description = "Epochs, at least 1 (default: ${DEFAULT-VALUE}).") int epochs;
    @Option(names = "--time-budget", paramLabel = "MINUTES", converter = Ranges.Minutes.class, description = "Instead of --epochs: as many epochs as fit in this time, above 0 (planned from measured steps, re-planned after each epoch); training also stops, saved, if it runs 15%% over.") Double timeBudget;
    @Option(names = "--batch", defaultValue = "32", converter = Ranges.Batch.class, description = "Images per step, at least 1 (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--lr", defaultValue = "1e-3", converter = Ranges.Lr.class, description = "Peak learning rate of the decoder, above 0 (default: ${DEFAULT-VALUE}).") float lr;
    @Option(names = "--encoder-lr", defaultValue = "3e-4", converter = Ranges.EncoderLr.class, description = "Peak learning rate of the encoder once it trains, at least 0 (default: ${DEFAULT-VALUE}).") float encoderLr;
    @Option(names = "--weight-decay", defaultValue = "0.01", converter = Ranges.WeightDecay.class, description = "AdamW's weight decay, at least 0 (default: ${DEFAULT-VALUE}).") float weightDecay;
    @Option(names = "--warmup", defaultValue = "200", converter = Ranges.Warmup.class, description = "Warm-up steps, at least 0 (default: ${DEFAULT-VALUE}).") int warmup;
    @Option(names = "--min-lr-ratio", defaultValue = "0.05", converter = Ranges.MinLrRatio.class, description = "Cosine decay ends at this fraction of the peak, in [0, 1] (default: ${DEFAULT-VALUE}).") float minLrRatio;
    @Option(names = "--clip", defaultValue = "5", converter = Ranges.Clip.class, description = "Global gradient-norm clip, at least 0 (0: none; default: ${DEFAULT-VALUE}).") float clip;
    @Option(names = "--label-smoothing", defaultValue = "0.1", converter = Ranges.LabelSmoothing.class, description = "Label smoothing, in [0, 1) (default: ${DEFAULT-VALUE}).") float labelSmoothing;
    @Option(names = "--attention-reg", defaultValue = "1", converter = Ranges.LossWeight.class, description = "Weight λ of the attention regulariser, at least 0 (default: ${DEFAULT-VALUE}).") float attentionReg;
    @Option(names = "--region-loss", defaultValue = "0", converter = Ranges.LossWeight.class, description = "Weight of the auxiliary region loss, where the data has region labels; at least 0 (default: ${DEFAULT-VALUE}).") float regionLoss;
    @Option(names = "--position-loss", defaultValue = "0", converter = Ranges.LossWeight.class, description = "Weight of the auxiliary position loss: each patch token names its patch, keeping where it is in what the decoder reads; at least 0 (default: ${DEFAULT-VALUE}).") float positionLoss;
    @Option(names = "--references", defaultValue = "all", description = "Which reference to train on per image: all (one drawn at random each time) or consensus (default: ${DEFAULT-VALUE}).") String references;
    @Option(names = "--freeze-encoder-epochs", converter = Ranges.FreezeEncoderEpochs.class, description = "Epochs before the encoder trains, at least 0 (default: 1 with --encoder-weights, else 0).") Integer freezeEncoderEpochs;
    @Option(names = "--patience", defaultValue = "3", converter = Ranges.Patience.class, description = "Epochs without a better validation CIDEr-D before stopping, at least 0 (0: never).") int patience;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--best-by", defaultValue = "CIDEr", paramLabel = "METRIC", converter = SelectionMetric.class, description = "The validation metric that picks best.json and counts epochs for --patience: CIDEr, Bleu_4, ROUGE_L or truthful (synthetic worlds; default: ${DEFAULT-VALUE}).") String bestBy;
    @Option(names = "--pause-after", paramLabel = "EPOCHS", defaultValue = "0", converter = Ranges.PauseAfter.class, description = "Stop, saved, once this many epochs are done, keeping the whole run's schedule; --resume continues (0: never; default: ${DEFAULT-VALUE}).") int pauseAfter;
    @Option(names = "--eval-beam", defaultValue = "1", converter = Ranges.Beam.class, description = "Beam width for validation captions, 1 to 32 (default: ${DEFAULT-VALUE}, greedy).") int evalBeam;
    @Option(names = "--eval-limit", defaultValue = "1000", converter = Ranges.EvalLimit.class, description = "Validation images used per epoch, at least 0 (0: all; default: ${DEFAULT-VALUE}).") int evalLimit;
    @Option(names = "--cache", paramLabel = "DIR", description = "The image cache of --annotations (as `vitcap prepare` makes it; default: OUT/cache-SIZE, made if missing).") Path cache;
    @Option(names = "--threads", converter = Ranges.Threads.class, description = "Threads decoding images into the cache, at least 1 (default: all cores).") Integer threads;
    @Option(names = "--init", paramLabel = "FILE.json", description = "Start from this checkpoint's model, vocabulary and weights, with a fresh optimiser and schedule (the cross-entropy model --scst continues).") Path init;
    @Option(names = "--scst", description = "Self-critical training: sampled captions rewarded by CIDEr-D over a baseline; needs --init. --lr then defaults to " + SCST_LR + ", --encoder-lr to " + SCST_ENCODER_LR + " and --warmup to 0.") boolean scst;
    @Option(names = "--scst-baseline", defaultValue = "mean", paramLabel = "greedy|mean", converter = Baseline.class, description = "The reward a sample must beat: greedy (the greedy caption's) or mean (the image's other samples'; default: ${DEFAULT-VALUE}).") SelfCritical.Baseline scstBaseline;
    @Option(names = "--scst-samples", defaultValue = "5", paramLabel = "N", converter = Ranges.ScstSamples.class, description = "Captions sampled per image per step, 1 to 64 (default: ${DEFAULT-VALUE}).") int scstSamples;
    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.") boolean resume;
    @Option(names = "--overwrite", description = "Start afresh in an --out that holds a run, deleting its checkpoints, log and plot (the image cache is kept).") boolean overwrite;

    @Spec CommandSpec spec;

    /**
     * Self-critical training's defaults where the cross-entropy ones do not fit: a smaller step, the
     * encoder's a fifth of the decoder's, no warm-up (docs/benchmarks.md, "Self-critical training").
     */
    static final String SCST_LR = "5e-4", SCST_ENCODER_LR = "1e-4";
    private static final int SCST_WARMUP = 0;

    @Override
    public Integer call() throws IOException {
        return run(System.out).how() == Trainer.Outcome.INTERRUPTED ? 130 : 0;
    }

    /** A validation metric that can pick a checkpoint ({@code train --best-by}, {@code tune --objective}). */
    static final class SelectionMetric implements ITypeConverter<String> {
        @Override
        public String convert(String name) {
            if (!TrainingRun.SELECTION_METRICS.contains(name)) {
                throw new Ranges.Refused("must be " + String.join(", ", TrainingRun.SELECTION_METRICS) + ", not '" + name + "'");
            }
            return name;
        }
    }

    /** A self-critical baseline by its name on the command line. */
    static final class Baseline implements ITypeConverter<SelfCritical.Baseline> {
        @Override
        public SelfCritical.Baseline convert(String name) {
            for (SelfCritical.Baseline b : SelfCritical.Baseline.values()) if (b.spelt().equals(name)) return b;
            throw new Ranges.Refused("must be greedy or mean, not '" + name + "'");
        }
    }

    /** {@code vitcap train}'s options, parsed and checked as the command line would (a bad one throws picocli's exception). */
    static TrainCommand parse(List<String> args) {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(args.toArray(String[]::new));
        return t;
    }

    /** The run these options describe. */
    TrainingRun trainingRun() throws IOException {
        if (!references.equals("all") && !references.equals("consensus")) {
            throw new ParameterException(spec.commandLine(), "--references must be all or consensus, not '" + references + "'");
        }
        if (resume && overwrite) throw new ParameterException(spec.commandLine(), "--resume continues the run in --out, --overwrite replaces it: give one");
        PathOptions.file("--annotations", annotations);
        PathOptions.file("--val-annotations", valAnnotations);
        PathOptions.file("--config", config);
        PathOptions.file("--encoder-weights", encoderWeights);
        PathOptions.file("--init", init);
        given("--scst-baseline", "--scst-samples").filter(o -> !scst).ifPresent(o -> {
            throw new ParameterException(spec.commandLine(), o + " is for self-critical training: add --scst");
        });
        if (init != null) given("--model", "--decoder", "--config", "--directions", "--pos-init", "--image-size", "--max-length", "--min-count", "--encoder-weights").ifPresent(o -> {
            throw new ParameterException(spec.commandLine(), o + " shapes a new model: the --init checkpoint (" + init + ") has its own");
        });
        if (encoderWeights != null && posInit != null) {
            throw new ParameterException(spec.commandLine(), "--pos-init starts a new position table, --encoder-weights (" + encoderWeights + ") brings its own: give one");
        }
        if (scst && init == null && !resume) throw new ParameterException(spec.commandLine(), "--scst continues a cross-entropy model: give its checkpoint with --init");
        boolean lrGiven = given("--lr").isPresent(), encoderLrGiven = given("--encoder-lr").isPresent(), warmupGiven = given("--warmup").isPresent();
        PathOptions.folder("--images", images);
        PathOptions.folder("--val-images", valImages);
        PathOptions.folderToWrite("--out", out);
        PathOptions.folderToWrite("--cache", cache);
        TrainConfig recipe = TrainConfig.builder().epochs(epochs).batchSize(batch).lr(scst && !lrGiven ? Float.parseFloat(SCST_LR) : lr)
                .encoderLr(scst && !encoderLrGiven ? Float.parseFloat(SCST_ENCODER_LR) : encoderLr).weightDecay(weightDecay).warmupSteps(scst && !warmupGiven ? SCST_WARMUP : warmup).minLrRatio(minLrRatio)
                .clipNorm(clip).labelSmoothing(labelSmoothing).attentionReg(attentionReg).regionLoss(regionLoss).positionLoss(positionLoss)
                .consensusReference(references.equals("consensus")).patience(patience).seed(seed)
                .selfCritical(scst ? selfCritical() : null).build();
        TrainingRun run = new TrainingRun(annotations, images, out).validation(valAnnotations, valImages).model(modelConfig())
                .recipe(recipe).freezeEncoderEpochs(freezeEncoderEpochs).encoderWeights(encoderWeights).timeBudgetMinutes(timeBudget)
                .minCount(minCount).cache(cache).validationDecoding(DecodeOptions.beam(evalBeam), evalLimit).resume(resume).overwrite(overwrite).backend(backend.name)
                .selectBy(bestBy).pauseAfterEpochs(pauseAfter).init(init);
        return threads != null ? run.threads(threads) : run;
    }

    /** Trains, printing progress to {@code out}; returns how the run ended. */
    TrainingRun.Outcome run(PrintStream out) throws IOException {
        TrainingRun run = trainingRun();
        TrainingRun.Outcome o;
        try (StopOnSignal stop = new StopOnSignal(out::println, 120)) {
            o = run.run(new ProgressBar(out), stop::requested);
        }
        switch (o.how()) {
            case INTERRUPTED -> out.printf("%nstopped: saved %s; continue with the same command and --resume%n", o.last());
            case FINISHED -> out.println("finished");
            case PAUSED -> out.printf("paused after epoch %d: continue with the same command and --resume%n", pauseAfter);
            case STOPPED_EARLY -> { } // the run said why

        }
        out.printf("wrote     %s (best), %s, %s, %s%n", o.best(), o.last(), this.out.resolve("log.jsonl"), this.out.resolve("curves.png"));
        return o;
    }

    private SelfCritical selfCritical() {
        try {
            return new SelfCritical(scstBaseline, scstSamples);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scst-baseline " + scstBaseline.spelt() + ": " + e.getMessage());
        }
    }

    /** The first of these options the command line gave, if any. */
    private Optional<String> given(String... options) {
        return Arrays.stream(options).filter(spec.commandLine().getParseResult()::hasMatchedOption).findFirst();
    }

    /** The model these options describe: the preset or the config file, with the image size and caption length given. */
    ModelConfig modelConfig() throws IOException {
        if (config != null) given("--model", "--decoder").ifPresent(preset -> {
            throw new ParameterException(spec.commandLine(), preset + " is for a preset: " + config + " (--config) names its own model");
        });
        ModelConfig base = config != null ? Checkpoint.readModelConfig(config) : ModelConfig.preset(model, decoder);
        if (imageSize != null && imageSize % base.encoder().patch() != 0) {
            throw new ParameterException(spec.commandLine(), "--image-size must be a multiple of the model's patch size (" + base.encoder().patch() + "), not " + imageSize);
        }
        if (imageSize != null) base = base.withEncoder(base.encoder().withImageSize(imageSize));
        if (directions != null) base = base.withDirections(directions);
        if (posInit != null) base = base.withEncoder(base.encoder().toBuilder().posInit(posInit).build());
        return base.withMaxLength(maxLength);
    }
}
