package dev.vitcap.app;

import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.tune.Search;
import dev.vitcap.tune.Space;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vitcap tune}: the options of a {@link Search}, which does the work. The train options given
 * here (and, on a synthetic world, the demo's recipe) are the fixed part of every trial; each is
 * checked by {@code vitcap train}'s own parser before the search starts, as is every extreme of the space.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search hyperparameters: trials of `vitcap train` with values drawn from --space, run in parallel, resumable after any interruption.",
                "Every `vitcap train` option is accepted too, as the fixed part of each trial (`vitcap train --help` lists them).",
                "Writes OUT/trials.jsonl, OUT/trials/ID (each trial's checkpoints and log), OUT/best.json and OUT/tune.png; the same command again continues an interrupted search."})
final class TuneCommand implements Callable<Integer> {
    /** The synthetic world searched on when no data is given: the demo's. */
    static final Path DEMO_WORLD = Path.of("runs", "demo", "world");
    /** Training images of the world generated when there is none: a third of the demo's, so that trials stay short. */
    static final int TRAIN_IMAGES = 10000;
    /** Train options the search sets for each trial itself. */
    private static final Set<String> MANAGED = Set.of("--out", "--resume", "--overwrite", "--pause-after", "--best-by", "--seed",
            "--annotations", "--images", "--val-annotations", "--val-images");

    @Option(names = "--annotations", paramLabel = "FILE", description = "Training captions, as for `vitcap train` (with --images).") Path annotations;
    @Option(names = "--images", paramLabel = "DIR", description = "The folder of --annotations' images.") Path images;
    @Option(names = "--world", paramLabel = "DIR", description = "A synthetic world to search on, trained by the demo's recipe unless options say otherwise (default without --annotations: " + "runs/demo/world" + ", generated if missing).") Path world;
    @Option(names = "--space", required = true, paramLabel = "SPACE.json", description = "The search space: {\"lr\": {\"log_uniform\": [3e-4, 1e-2]}, \"decoder.hidden\": {\"choice\": [128, 256]}, …} (docs/tuning.md).") Path spaceFile;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the search keeps its trials; a search there is continued.") Path out;
    @Option(names = "--algorithm", defaultValue = "random", converter = AlgorithmName.class, description = "random, hyperband, asha or bayes (default: ${DEFAULT-VALUE}).") Search.Algorithm algorithm;
    @Option(names = "--trials", defaultValue = "20", converter = Ranges.Trials.class, description = "Trials to start at most, at least 1 (default: ${DEFAULT-VALUE}).") int trials;
    @Option(names = "--parallel", defaultValue = "1", converter = Ranges.Parallel.class, description = "Trials running at once, splitting the cores between them; at least 1 (default: ${DEFAULT-VALUE}).") int parallel;
    @Option(names = "--budget-minutes", paramLabel = "M", converter = Ranges.Minutes.class, description = "Stop the search (running trials saved) after this many minutes, summed over interruptions.") Double budgetMinutes;
    @Option(names = "--objective", defaultValue = "CIDEr", paramLabel = "METRIC", converter = TrainCommand.SelectionMetric.class, description = "The validation metric to maximise: CIDEr, Bleu_4, ROUGE_L or truthful (synthetic worlds; default: ${DEFAULT-VALUE}).") String objective;
    @Option(names = "--seed", defaultValue = "42", description = "Seeds the search's draws and every trial's training (default: ${DEFAULT-VALUE}).") long seed;
    @Unmatched List<String> trainOptions = new ArrayList<>();

    @Spec CommandSpec spec;

    /** {@code --algorithm}'s names. */
    static final class AlgorithmName implements ITypeConverter<Search.Algorithm> {
        @Override
        public Search.Algorithm convert(String name) {
            for (Search.Algorithm a : Search.Algorithm.values()) if (a.word().equals(name)) return a;
            throw new Ranges.Refused("must be random, hyperband, asha or bayes, not '" + name + "'");
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        Search search = search(o);
        Search.Outcome outcome;
        try (StopOnSignal stop = new StopOnSignal(o::println, 300)) {
            outcome = search.run(new TrialTable(o, System.console() != null, search.space().names()), stop::requested);
        }
        switch (outcome.ending()) {
            case FINISHED -> o.println("finished: every trial has run");
            case OUT_OF_TIME -> o.printf("finished: the %s-minute budget is spent%n", budgetMinutes);
            case INTERRUPTED -> o.println("stopped: the running trials are saved; the same command continues the search");
            case FAILING -> o.println("stopped: trials keep failing (see their reasons above and OUT/trials/ID/train.log)");
        }
        if (outcome.best() != null) {
            o.printf("best      trial %d, %s %.4f, %s%n", outcome.best().id(), objective, outcome.best().objective(), outcome.best().params());
            o.printf("wrote     %s, %s, %s%n", outcome.bestFile(), out.resolve("trials.jsonl"), outcome.plot());
        }
        return switch (outcome.ending()) {
            case FINISHED, OUT_OF_TIME -> 0;
            case INTERRUPTED -> 130;
            case FAILING -> 1;
        };
    }

    /** The search these options describe, every option and the space checked first. */
    Search search(PrintStream o) throws IOException {
        if ((annotations == null) != (images == null)) throw usage("--annotations and --images go together");
        if (annotations != null && world != null) throw usage("--annotations names the data, --world a synthetic world: give one");
        for (String given : trainOptions) {
            String name = given.split("=", 2)[0];
            if (MANAGED.contains(name)) throw usage(name + " is set by the search for each trial; leave it out");
        }
        PathOptions.file("--space", spaceFile);
        PathOptions.file("--annotations", annotations);
        PathOptions.folder("--images", images);
        PathOptions.folderToWrite("--out", out);
        Space space = Space.read(spaceFile);

        Path synthetic = annotations != null ? null : world != null ? world : DEMO_WORLD;
        List<String> data = new ArrayList<>(), defaults = new ArrayList<>();
        if (synthetic != null) {
            PathOptions.folderToWrite("--world", synthetic);
            if (!Files.exists(SynthFiles.annotations(synthetic, Split.VAL))) {
                o.printf("world     generating the demo's synthetic world in %s ...%n", synthetic);
                SynthWorld.generate(new SynthWorld.Spec(synthetic, TRAIN_IMAGES, DemoCommand.VAL_IMAGES, DemoCommand.TEST_IMAGES, DemoRecipe.IMAGE, 1));
            }
            data.addAll(DemoRecipe.worldOptions(synthetic));
            Path demoModel = out.resolve("demo-model.json");
            DemoRecipe.writeModel(demoModel);
            defaults.addAll(DemoRecipe.trainOptions(demoModel));
        } else {
            data.addAll(List.of("--annotations", annotations.toString(), "--images", images.toString()));
        }
        // The fixed options: the demo's recipe (on a world) where neither the command line nor the space sets one, then the command line's.
        boolean presetGiven = trainOptions.stream().anyMatch(a -> a.startsWith("--model") || a.startsWith("--decoder") || a.startsWith("--config"));
        List<String> fixed = new ArrayList<>();
        for (int i = 0; i < defaults.size(); i += 2) {
            String name = defaults.get(i);
            boolean overridden = trainOptions.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "="))
                    || space.names().contains(name.substring(2)) || (presetGiven && name.equals("--config"));
            if (!overridden) fixed.addAll(defaults.subList(i, i + 2));
        }
        fixed.addAll(trainOptions);
        TrainCommand train = parseTrain(data, fixed, null, null);
        for (String name : space.names()) {
            if (name.contains(".")) continue;
            OptionSpec option = train.spec.findOption("--" + name);
            if (option == null || MANAGED.contains("--" + name)) {
                throw new FileFormatException(spaceFile + ": \"" + name + "\" is neither a `vitcap train` option the search may set nor a field of the model (encoder.…, decoder.…)");
            }
            if (trainOptions.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="))) {
                throw usage("--" + name + " is both fixed here and searched in " + spaceFile + ": give it in one place");
            }
            for (Object value : space.extremes(name)) parseTrain(data, fixed, name, value);
        }
        boolean modelFields = space.names().stream().anyMatch(n -> n.contains("."));
        if (modelFields) fixed = withoutModelChoice(fixed);
        if (train.timeBudget != null && (algorithm == Search.Algorithm.HYPERBAND || algorithm == Search.Algorithm.ASHA)) {
            throw usage("--time-budget: " + algorithm.word() + " spends epochs, trial by trial; give --epochs (and --budget-minutes for the search)");
        }
        List<String> all = new ArrayList<>(data);
        all.addAll(fixed);
        return new Search(out, space, Search.trainCommand(Main.class.getName()), all, train.modelConfig())
                .algorithm(algorithm).trials(trials).parallel(parallel).maxEpochs(train.epochs).budgetMinutes(budgetMinutes)
                .objective(objective).seed(seed).threadsFixed(train.threads != null)
                .sharedCache(train.annotations, train.images, train.cache);
    }

    /**
     * Parses the data and fixed options (with {@code name} set to {@code value}, when given) as
     * {@code vitcap train} would; a refusal names the option, or the space's parameter and value.
     */
    private TrainCommand parseTrain(List<String> data, List<String> fixed, String name, Object value) {
        List<String> args = new ArrayList<>(data);
        args.addAll(fixed);
        if (name != null) args.addAll(List.of("--" + name, String.valueOf(value)));
        args.addAll(List.of("--out", out.toString()));
        try {
            return TrainCommand.parse(args);
        } catch (ParameterException e) {
            String why = Errors.usage(e);
            throw usage(name == null ? "a train option: " + why : spaceFile + ": \"" + name + "\" = " + value + ": " + why);
        }
    }

    /** The fixed options less the model's preset or config file: a trial with model fields is given its own config. */
    private static List<String> withoutModelChoice(List<String> fixed) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            String a = fixed.get(i);
            boolean choice = a.equals("--model") || a.equals("--decoder") || a.equals("--config");
            if (choice) i++;
            else if (!a.startsWith("--model=") && !a.startsWith("--decoder=") && !a.startsWith("--config=")) kept.add(a);
        }
        return kept;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
