package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.settings.Range;
import dev.vitcap.train.Trainer;
import dev.vitcap.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vitcap demo}: the first ten minutes. Generates the synthetic world, trains the default recipe
 * within a time budget (cross-entropy, then self-critical training from its best checkpoint), scores the test split (COCO metrics and truthfulness), captions a few test
 * images beside their references with attention maps, and says where everything is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic world, train a captioner on it, evaluate it and show captions with attention maps.",
                "Finishes in about ten minutes on two cores; everything is written under --out."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Where everything goes; a previous demo there is replaced (default: ${DEFAULT-VALUE}).")
    Path out;

    /** Images per split: the demo trains, validates and tests, so each split needs one. */
    static final Range IMAGES = Range.atLeast(1);
    static final Range SCST_MINUTES = Range.between(0, 1e7);

    @Option(names = "--minutes", defaultValue = "8", converter = Ranges.Minutes.class, description = "Training time budget in minutes, above 0 (default: ${DEFAULT-VALUE}).")
    double minutes;

    /**
     * Cross-entropy only by default: with the position loss, the demo's 8 minutes all spent on cross-entropy
     * made truer captions than 5 of cross-entropy and 3 self-critical (docs/benchmarks.md, "Demo").
     */
    @Option(names = "--scst-minutes", defaultValue = "0", converter = Ranges.ScstMinutes.class,
            description = "Of --minutes, how many train self-critically after cross-entropy, at least 0 and less than --minutes (default: ${DEFAULT-VALUE}, cross-entropy only).")
    double scstMinutes;

    /**
     * The world's default size. Scenes cost nothing to draw, and on 10 000 training images the model
     * learned them by heart in the demo's 15 epochs; 30 000 seen 5 times each made its captions truer
     * (docs/benchmarks.md, "Demo"). The validation and test scenes do not depend on it.
     */
    static final int TRAIN_IMAGES = 30000, VAL_IMAGES = 300, TEST_IMAGES = 500;

    @Option(names = "--train", defaultValue = "" + TRAIN_IMAGES, converter = Ranges.DemoCount.class, description = "Training images to generate, at least 1 (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--val", defaultValue = "" + VAL_IMAGES, converter = Ranges.DemoCount.class, description = "Validation images, at least 1 (default: ${DEFAULT-VALUE}).")
    int valImages;

    @Option(names = "--test", defaultValue = "" + TEST_IMAGES, converter = Ranges.DemoCount.class, description = "Test images, at least 1 (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    static final int SHOWN = 4;

    @Override
    public Integer call() throws Exception {
        PathOptions.folderToWrite("--out", out);
        if (scstMinutes >= minutes) {
            throw new ParameterException(spec.commandLine(), "--scst-minutes (" + scstMinutes + ") must be less than --minutes (" + minutes + "): cross-entropy training comes first");
        }
        PrintStream o = System.out;
        long began = System.nanoTime();
        Path world = out.resolve("world");
        o.printf("[1/4] generating the synthetic world in %s ...%n", world);
        SynthWorld.Summary s = SynthWorld.generate(new SynthWorld.Spec(world, trainImages, valImages, testImages, DemoRecipe.IMAGE, seed));
        o.printf("      %d images, %d captions%n", s.images(), s.captions());

        Path model = out.resolve("model");
        Path crossEntropy = scstMinutes > 0 ? out.resolve("model-xe") : model;
        o.printf("[2/4] training for about %.0f minutes (Ctrl-C stops and saves) ...%n", minutes);
        if (scstMinutes > 0) o.printf("      cross-entropy for %.1f minutes into %s, then self-critical for %.1f into %s%n", minutes - scstMinutes, crossEntropy, scstMinutes, model);
        try (StopOnSignal stop = new StopOnSignal(o::println, 120)) {
            TrainingRun.Outcome trained = DemoRecipe.training(backend.name, world, crossEntropy, minutes - scstMinutes, seed).run(new ProgressBar(o), stop::requested);
            if (trained.how() != Trainer.Outcome.INTERRUPTED && scstMinutes > 0) {
                o.printf("      self-critical training from %s ...%n", trained.best());
                trained = DemoRecipe.selfCritical(backend.name, world, trained.best(), model, scstMinutes, seed).run(new ProgressBar(o), stop::requested);
            }
            if (trained.how() == Trainer.Outcome.INTERRUPTED) {
                o.printf("%nstopped: saved %s%n", trained.last());
                return 130;
            }
        }

        o.println("[3/4] evaluating on the test split ...");
        Path checkpoint = model.resolve(Trainer.BEST);
        Path annotations = SynthFiles.annotations(world, Split.TEST), images = SynthFiles.imageDir(world, Split.TEST);
        AtomicFiles.write(out.resolve("test-annotations.json"), copy -> Files.copy(annotations, copy));
        EvaluateCommand eval = new EvaluateCommand();
        eval.backend = backend;
        eval.decodingOptions = new DecodingOptions();
        eval.checkpoint = checkpoint;
        eval.annotations = annotations;
        eval.images = images;
        eval.results = out.resolve("test-results.json");
        Map<String, Double> metrics = eval.evaluate();
        AtomicFiles.writeString(out.resolve("test-metrics.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics));
        metrics.forEach((k, v) -> o.printf("      %-14s %.4f%n", k, v));

        o.println("[4/4] a few test images, their captions and their references ...");
        DemoRecipe.show(backend.name, checkpoint, world, out.resolve("attention"), SHOWN, o);

        o.printf("%ndone in %s. Everything is under %s:%n", ProgressBar.duration((System.nanoTime() - began) / 1e9), out);
        o.printf("  checkpoint      %s (+ .safetensors)%n", checkpoint);
        o.printf("  training log    %s%n", out.resolve("model").resolve("log.jsonl"));
        o.printf("  curves          %s%n", out.resolve("model").resolve("curves.png"));
        o.printf("  attention maps  %s%n", out.resolve("attention"));
        o.printf("  test files      %s, %s, %s%n", out.resolve("test-annotations.json"), out.resolve("test-results.json"), out.resolve("test-metrics.json"));
        o.printf("  score again     ./vitcap score --annotations %s --results %s%n", out.resolve("test-annotations.json"), out.resolve("test-results.json"));
        return 0;
    }
}
