package dev.vitcap.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.DatasetFormat;
import dev.vitcap.data.ImageCacheWriter;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.settings.Range;
import dev.vitcap.train.TrainConfig;
import dev.vitcap.train.TrainingRun;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A hyperparameter search: trials of {@code vitcap train}, each with the fixed options and its own draw
 * from the {@link Space}, run by {@code parallel} workers that split the cores, chosen and promoted by
 * the algorithm, recorded in {@code DIR/trials.jsonl} (and continued from it after any interruption),
 * summed up in {@code DIR/best.json} and {@code DIR/tune.png}.
 * <pre>{@code
 * Search.Outcome o = new Search(dir, Space.read(spaceFile), trainCommand, fixedOptions, baseModel)
 *         .algorithm(Search.Algorithm.ASHA).trials(20).parallel(2).budgetMinutes(20.0).objective("CIDEr")
 *         .run(listener, () -> false);
 * }</pre>
 */
public final class Search {
    public enum Algorithm {
        RANDOM, HYPERBAND, ASHA, BAYES;

        public String word() {
            return name().toLowerCase();
        }
    }

    /** What a search reports: one-line notes, and the trials whenever one changes (for a live table). */
    public interface Listener {
        void note(String line);

        void changed(List<Trial> trials, Map<Integer, Integer> epochNow, double elapsedSeconds);
    }

    /** How the search ended: all its trials run ({@code finished}), out of time, stopped, or failing. */
    public enum Ending { FINISHED, OUT_OF_TIME, INTERRUPTED, FAILING }

    public record Outcome(Ending ending, List<Trial> trials, Trial best, Path bestFile, Path plot) {
    }

    /** The allowed values of the trial count and of the workers. */
    public static final Range TRIALS = Range.atLeast(1), PARALLEL = Range.atLeast(1);

    /** The reason of a trial the search's budget stopped: a later run with a larger budget continues it. */
    static final String OUT_OF_BUDGET = "time budget";

    /** Failures in a row that end the search: the trials are failing for a reason a new draw will not fix. */
    static final int FAILURES_IN_A_ROW = 3;
    public static final String BEST = "best.json", PLOT = "tune.png", TRIAL_FOLDERS = "trials";
    /** A trial's own model config, in its folder, when the space sets model fields. */
    static final String MODEL_FILE = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Space space;
    private final List<String> trainCommand, fixed;
    private final ModelConfig model;
    private Algorithm algorithm = Algorithm.RANDOM;
    private int trials = 20, parallel = 1, maxEpochs = 10;
    private Double budgetMinutes;
    private String objective = "CIDEr";
    private long seed = 42;
    private Path annotations, images, fixedCache;
    private boolean threadsFixed;
    private final Set<Integer> cachesMade = new HashSet<>();

    /**
     * @param trainCommand the command that runs {@code vitcap train} in a new JVM, up to and including {@code train}
     * @param fixed        the train options every trial shares (not {@code --out}, {@code --seed}, {@code --resume})
     * @param model        the model the fixed options describe, which the space's {@code encoder.}/{@code decoder.} fields change
     */
    public Search(Path dir, Space space, List<String> trainCommand, List<String> fixed, ModelConfig model) {
        this.dir = dir;
        this.space = space;
        this.trainCommand = List.copyOf(trainCommand);
        this.fixed = List.copyOf(fixed);
        this.model = model;
    }

    /** The command line that runs {@code vitcap train} in a new JVM like this one, given the program's main class. */
    public static List<String> trainCommand(String mainClass) {
        List<String> cmd = TrialProcess.javaCommand(mainClass);
        cmd.add("train");
        return cmd;
    }

    public Search algorithm(Algorithm a) {
        this.algorithm = a;
        return this;
    }

    /** Trials to start at most (default 20). */
    public Search trials(int n) {
        TRIALS.check("trials", n);
        this.trials = n;
        return this;
    }

    /** Trials running at once; each gets its share of the cores (default 1). */
    public Search parallel(int p) {
        PARALLEL.check("parallel trials", p);
        this.parallel = p;
        return this;
    }

    /** The epochs a trial trains at most: the last rung of hyperband and ASHA (default 10). */
    public Search maxEpochs(int r) {
        TrainConfig.EPOCHS.check("epochs", r);
        this.maxEpochs = r;
        return this;
    }

    /** Search minutes, summed over interruptions; when spent, running trials are stopped, saved (null: no limit). */
    public Search budgetMinutes(Double minutes) {
        if (minutes != null) TrainingRun.TIME_BUDGET_MINUTES.check("the search's budget (minutes)", minutes);
        this.budgetMinutes = minutes;
        return this;
    }

    /** The validation metric to maximise; trials keep their best checkpoint by it too. */
    public Search objective(String metric) {
        this.objective = TrainingRun.checkSelectionMetric(metric);
        return this;
    }

    public Search seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Decode the data's images once per image size, before the first trial that needs them, into
     * {@code cache} (the fixed options' {@code --cache}) or else {@code DIR/cache-SIZE}: trials starting
     * side by side must not each make it (default: each trial makes its own).
     */
    public Search sharedCache(Path annotations, Path images, Path cache) {
        this.annotations = annotations;
        this.images = images;
        this.fixedCache = cache;
        return this;
    }

    /** The fixed options set {@code --threads}: leave it alone. */
    public Search threadsFixed(boolean fixedThreads) {
        this.threadsFixed = fixedThreads;
        return this;
    }

    public Space space() {
        return space;
    }

    /** Threads each trial's kernels get: the cores split between the workers. */
    public int threadsPerTrial() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
    }

    /** Runs (or continues) the search until its trials are done, its budget spent, {@code stop} asks, or trials keep failing. */
    public Outcome run(Listener listener, BooleanSupplier stop) throws IOException {
        checkModelFields();
        Files.createDirectories(dir.resolve(TRIAL_FOLDERS));
        claim();
        try (TrialLog log = TrialLog.open(dir)) {
            TrialLog.Replay replay = log.replay(space);
            List<Trial> all = new ArrayList<>(replay.trials());
            long began = System.nanoTime();
            double before = replay.elapsed();
            int failuresInARow = replay.failuresInARow();
            Scheduler scheduler = scheduler();
            Map<Trial, Process> running = new LinkedHashMap<>();
            Map<Integer, Integer> epochNow = new LinkedHashMap<>();
            if (!all.isEmpty()) {
                listener.note(String.format("resume    %d trials in %s, %.1f of the search's minutes spent", all.size(), dir.resolve(TrialLog.FILE), before / 60));
            }
            if (parallel > Runtime.getRuntime().availableProcessors()) {
                listener.note(String.format("note      %d workers on %d cores: each trial gets one thread and they share the cores", parallel, Runtime.getRuntime().availableProcessors()));
            }
            // Stages an interruption or a spent budget cut short run again from their last checkpoint (a
            // budget since raised included); past the budget, those interrupted end where they stand.
            boolean spent = budgetMinutes != null && before >= budgetMinutes * 60;
            for (Trial t : all) {
                boolean cutByBudget = t.status == Trial.Status.STOPPED && OUT_OF_BUDGET.equals(t.reason);
                if (t.status != Trial.Status.RUNNING && !cutByBudget) continue;
                if (spent) {
                    if (!cutByBudget) finish(t, 130, OUT_OF_BUDGET, log, before);
                    continue;
                }
                if (cutByBudget) {
                    t.status = Trial.Status.RUNNING;
                    t.reason = null;
                    log.record(t, before);
                }
                running.put(t, launch(t, t.until));
            }
            Ending ending = null;
            while (ending == null) {
                double elapsed = before + (System.nanoTime() - began) / 1e9;
                boolean outOfTime = budgetMinutes != null && elapsed >= budgetMinutes * 60;
                if (stop.getAsBoolean() || outOfTime) {
                    for (Process p : running.values()) p.destroy(); // SIGTERM: each trial saves where it stands
                    for (Map.Entry<Trial, Process> r : running.entrySet()) {
                        int code = waitFor(r.getValue());
                        if (outOfTime && !stop.getAsBoolean()) finish(r.getKey(), code, OUT_OF_BUDGET, log, elapsed);
                    }
                    ending = outOfTime && !stop.getAsBoolean() ? Ending.OUT_OF_TIME : Ending.INTERRUPTED;
                    break;
                }
                boolean changed = false;
                for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                    var r = it.next();
                    if (r.getValue().isAlive()) continue;
                    it.remove();
                    Trial t = r.getKey();
                    finish(t, r.getValue().exitValue(), null, log, elapsed);
                    failuresInARow = t.status == Trial.Status.FAILED ? failuresInARow + 1 : 0;
                    if (t.status == Trial.Status.FAILED) listener.note("failed    trial " + t.id + ": " + t.reason);
                    changed = true;
                }
                if (failuresInARow >= FAILURES_IN_A_ROW) {
                    listener.note(FAILURES_IN_A_ROW + " trials failed in a row: the search stops (waiting for the running trials)");
                    for (Map.Entry<Trial, Process> r : running.entrySet()) finish(r.getKey(), waitFor(r.getValue()), null, log, elapsed);
                    ending = Ending.FAILING;
                    break;
                }
                while (running.size() < parallel) {
                    Scheduler.Stage stage = scheduler.next(all);
                    if (stage == null) break;
                    Trial t = stage.resume();
                    if (t == null) {
                        t = new Trial(all.size() + 1, rounded(stage.params()), stage.bracket());
                        all.add(t);
                    }
                    t.status = Trial.Status.RUNNING;
                    t.until = stage.until();
                    t.reason = null;
                    log.record(t, elapsed);
                    running.put(t, launch(t, stage.until()));
                    changed = true;
                }
                if (running.isEmpty()) {
                    ending = Ending.FINISHED;
                    break;
                }
                for (Trial t : running.keySet()) epochNow.put(t.id, currentEpoch(t));
                if (changed) writeBest(all);
                listener.changed(all, epochNow, elapsed);
                waitForAny(running.values(), 1000);
            }
            Trial best = writeBest(all);
            TunePlot.write(all, space, objective, dir.resolve(PLOT));
            listener.changed(all, epochNow, before + (System.nanoTime() - began) / 1e9);
            return new Outcome(ending, all, best, best == null ? null : dir.resolve(BEST), dir.resolve(PLOT));
        }
    }

    /**
     * {@code DIR/search.json} keeps what a search is (the algorithm, objective, seed, space and fixed
     * options): continuing it with other settings would mix two searches in one log, so that is refused.
     * The trial count, the workers and the budget may change between runs.
     */
    private void claim() throws IOException {
        Path file = dir.resolve("search.json");
        ObjectNode settings = JSON.createObjectNode().put("algorithm", algorithm.word()).put("objective", objective).put("seed", seed)
                .put("max_epochs", maxEpochs);
        settings.set("space", JSON.valueToTree(space.names()));
        settings.set("fixed", JSON.valueToTree(fixed));
        if (Files.exists(file)) {
            JsonNode held = JSON.readTree(file.toFile());
            for (var it = settings.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!settings.get(field).toString().equals(String.valueOf(held.get(field)))) {
                    throw new FileFormatException(dir + ": holds a search with another " + field.replace('_', ' ') + " (" + held.get(field)
                            + ", not " + settings.get(field) + "); continue it with its own settings, or search in a new --out");
                }
            }
        } else {
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings) + "\n");
        }
    }

    private Scheduler scheduler() {
        Scheduler.Sampler random = Scheduler.random(space, seed);
        return switch (algorithm) {
            case RANDOM -> new Scheduler.Whole(trials, maxEpochs, random);
            case BAYES -> new Scheduler.Whole(trials, maxEpochs, Scheduler.bayes(space, seed, Math.max(3, space.dimensions() + 1)));
            case HYPERBAND -> new Scheduler.Hyperband(trials, maxEpochs, random);
            case ASHA -> new Scheduler.Asha(trials, maxEpochs, random);
        };
    }

    /** Starts a trial's stage: from its last checkpoint when it has one, else afresh. */
    private Process launch(Trial t, int until) throws IOException {
        Path folder = trialFolder(t);
        Files.createDirectories(folder);
        TrialProcess.awaitEarlier(folder.resolve(TrialProcess.PID_FILE));
        ModelConfig shape = trialModel(t.params, "trial " + t.id);
        if (hasModelFields(t.params)) {
            AtomicFiles.writeString(folder.resolve(MODEL_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shape));
        }
        if (annotations != null) makeCache(shape.encoder().imageHeight());
        List<String> cmd = new ArrayList<>(trainCommand);
        cmd.addAll(trainOptions(t, until));
        Process p = TrialProcess.start(cmd, threadsPerTrial(), folder.resolve("train.log"));
        AtomicFiles.writeString(folder.resolve(TrialProcess.PID_FILE), p.pid() + "\n");
        return p;
    }

    /** The train options of a trial's stage after the command: its recipe, its share of the cores, and where and how far it trains. */
    List<String> trainOptions(Trial t, int until) throws IOException {
        Path folder = trialFolder(t);
        List<String> args = recipe(t);
        if (!threadsFixed) args.addAll(List.of("--threads", Integer.toString(threadsPerTrial())));
        args.addAll(List.of("--out", folder.toString()));
        if (until < maxEpochs) args.addAll(List.of("--pause-after", Integer.toString(until)));
        args.add(Files.exists(folder.resolve("last.json")) ? "--resume" : "--overwrite");
        return args;
    }

    /**
     * What a trial trains: the fixed options, its parameters (model fields by the config file
     * {@link #launch} writes), the shared cache, the objective and the seed. Writes nothing.
     */
    private List<String> recipe(Trial t) throws IOException {
        List<String> args = new ArrayList<>(fixed);
        for (Map.Entry<String, Object> p : t.params.entrySet()) {
            if (p.getKey().contains(".")) continue;
            if (p.getValue() instanceof Boolean b) {
                if (b) args.add("--" + p.getKey());
            } else {
                args.add("--" + p.getKey());
                args.add(String.valueOf(p.getValue()));
            }
        }
        if (hasModelFields(t.params)) args.addAll(List.of("--config", trialFolder(t).resolve(MODEL_FILE).toString()));
        if (annotations != null && fixedCache == null) {
            args.addAll(List.of("--cache", cacheDir(trialModel(t.params, "trial " + t.id).encoder().imageHeight()).toString()));
        }
        args.addAll(List.of("--best-by", objective, "--seed", Long.toString(seed)));
        return args;
    }

    private static boolean hasModelFields(Map<String, Object> params) {
        return params.keySet().stream().anyMatch(k -> k.contains("."));
    }

    /** The trial's model: the fixed one with the space's model fields (and an {@code image-size}) set. */
    private ModelConfig trialModel(Map<String, Object> params, String where) throws IOException {
        ObjectNode tree = JSON.valueToTree(model);
        for (Map.Entry<String, Object> p : params.entrySet()) {
            if (!p.getKey().contains(".")) continue;
            String[] path = p.getKey().split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) parent = (ObjectNode) parent.get(path[i]);
            parent.set(path[path.length - 1], JSON.valueToTree(p.getValue()));
        }
        ModelConfig shape;
        try {
            shape = JSON.treeToValue(tree, ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new FileFormatException(where + ": the model fields " + modelFields(params) + " make no model (" + firstLine(e) + ")");
        }
        Object side = params.get("image-size");
        return side instanceof Number n ? shape.withEncoder(shape.encoder().withImageSize(n.intValue())) : shape;
    }

    /** Every {@code encoder.}/{@code decoder.} name of the space must be a field of the model, each of its extremes a valid model. */
    private void checkModelFields() throws IOException {
        JsonNode tree = JSON.valueToTree(model);
        for (String name : space.names()) {
            if (!name.contains(".")) continue;
            JsonNode node = tree;
            for (String part : name.split("\\.")) node = node == null ? null : node.get(part);
            if (node == null || !node.isValueNode()) {
                throw new FileFormatException("\"" + name + "\" is not a field of the model (" + String.join(", ", fieldNames(tree, "")) + ")");
            }
            for (Object value : space.extremes(name)) trialModel(Map.of(name, value), "\"" + name + "\": " + value);
        }
    }

    private static List<String> fieldNames(JsonNode tree, String prefix) {
        List<String> names = new ArrayList<>();
        tree.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) names.addAll(fieldNames(f.getValue(), prefix + f.getKey() + "."));
            else if (f.getValue().isValueNode() && !prefix.isEmpty()) names.add(prefix + f.getKey());
        });
        return names;
    }

    private static String modelFields(Map<String, Object> params) {
        Map<String, Object> fields = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.contains(".")) fields.put(k, v);
        });
        return fields.toString();
    }

    /** Where the trials' images of {@code size} are cached. */
    private Path cacheDir(int size) {
        return fixedCache != null ? fixedCache : dir.resolve("cache-" + size);
    }

    /** Decodes the images once at {@code size} for every trial, before the first trial that needs them. */
    private void makeCache(int size) throws IOException {
        if (cachesMade.contains(size)) return;
        Path cacheDir = cacheDir(size);
        CaptionDataset data = DatasetFormat.detect(annotations).read(annotations, images);
        // An unreadable image is each trial's to report, in its own log, as `vitcap train` does.
        ImageCacheWriter.Summary s = new ImageCacheWriter(cacheDir, data, size, Runtime.getRuntime().availableProcessors(), (image, reason) -> { }).run();
        if (!s.complete()) throw new IOException(cacheDir + ": image cache not finished");
        cachesMade.add(size);
    }

    private Path trialFolder(Trial t) {
        return dir.resolve(TRIAL_FOLDERS).resolve(t.folder());
    }

    /**
     * What a stage's end (exit {@code code}) leaves: the trial's epochs from its last checkpoint, its
     * objective from its log, and its status; {@code stoppedBy} names what stopped it short (null: nothing).
     */
    private void finish(Trial t, int code, String stoppedBy, TrialLog log, double elapsed) throws IOException {
        Path folder = trialFolder(t);
        Optional<JsonNode> state = trainingState(folder.resolve("last.json"));
        t.epochs = state.map(s -> s.path("epoch").asInt()).orElse(0);
        t.objective = objectiveSoFar(folder.resolve("log.jsonl"));
        boolean interrupted = code == 130 || code == 143;
        if (stoppedBy != null && interrupted) {
            t.status = Trial.Status.STOPPED;
            t.reason = stoppedBy;
        } else if (code != 0) {
            t.status = Trial.Status.FAILED;
            t.reason = failure(folder.resolve("train.log"), code);
        } else if (Double.isNaN(t.objective)) {
            t.status = Trial.Status.FAILED;
            t.reason = "no validation " + objective + " in " + folder.resolve("log.jsonl") + ": the trials need validation data";
        } else {
            boolean paused = t.epochs == t.until && t.until < maxEpochs;
            t.status = paused ? Trial.Status.STOPPED : Trial.Status.DONE;
            t.reason = null;
        }
        log.record(t, elapsed);
    }

    private static Optional<JsonNode> trainingState(Path last) {
        try {
            return Files.exists(last) ? Optional.of(JSON.readTree(last.toFile()).path("training")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The best value of the objective over the epochs of a trial's {@code log.jsonl}, NaN before the first. */
    private double objectiveSoFar(Path trainLog) throws IOException {
        double best = Double.NaN;
        if (!Files.exists(trainLog)) return best;
        for (String line : Files.readAllLines(trainLog, StandardCharsets.UTF_8)) {
            if (!line.contains("\"type\":\"epoch\"")) continue;
            JsonNode e = JSON.readTree(line);
            if (e.has(objective) && (Double.isNaN(best) || e.get(objective).asDouble() > best)) best = e.get(objective).asDouble();
        }
        return best;
    }

    /** A failed stage's reason: the one line {@code vitcap train} printed about it, or its exit status. */
    private static String failure(Path output, int code) throws IOException {
        String reason = "exit status " + code;
        if (!Files.exists(output)) return reason;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.startsWith("vitcap train: ")) reason = line.substring("vitcap train: ".length());
        }
        return reason;
    }

    /** The epoch a running trial is in, from the last line of its training log (for the live table). */
    private int currentEpoch(Trial t) {
        Path log = trialFolder(t).resolve("log.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 4096);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].contains("\"type\":\"step\"")) return JSON.readTree(lines[i]).path("epoch").asInt(t.epochs);
            }
        } catch (IOException e) {
            // Not started yet, or a line being written: the last stage's end stands.
        }
        return t.epochs;
    }

    /** Writes {@code DIR/best.json} for the best trial so far; returns it (null before any has an objective). */
    private Trial writeBest(List<Trial> all) throws IOException {
        Trial best = all.stream().filter(t -> !Double.isNaN(t.objective))
                .max(Comparator.comparingDouble((Trial t) -> t.objective).thenComparingInt(t -> -t.id)).orElse(null);
        if (best == null) return null;
        Path checkpoint = trialFolder(best).resolve("best.json");
        ObjectNode o = JSON.createObjectNode().put("trial", best.id).put("metric", objective).put("objective", best.objective);
        o.set("params", JSON.valueToTree(best.params));
        o.put("epochs", best.epochs).put("status", best.status.word()).put("checkpoint", checkpoint.toString());
        List<String> train = new ArrayList<>(List.of("vitcap", "train"));
        train.addAll(recipe(best));
        o.set("train", JSON.valueToTree(train));
        // The trial's model, so that `vitcap train --config best.json` trains this configuration again.
        JsonNode trained = Files.exists(checkpoint) ? JSON.readTree(checkpoint.toFile()).get("model") : null;
        o.set("model", trained != null ? trained : JSON.valueToTree(trialModel(best.params, "trial " + best.id)));
        AtomicFiles.writeString(dir.resolve(BEST), JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n");
        return best;
    }

    /**
     * Four significant digits, so that the log, the table and the command line show what the trial
     * trained with; a value rounded past a bound the space gives more digits is kept as drawn.
     */
    Map<String, Object> rounded(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            // A choice's values are kept exactly: they are what the space lists.
            Object r = v instanceof Double d && space.choices(k).isEmpty() ? new BigDecimal(d).round(new MathContext(4)).doubleValue() : v;
            out.put(k, r == v || within((Double) r, space.extremes(k)) ? r : v);
        });
        return out;
    }

    private static boolean within(double value, List<Object> bounds) {
        return value >= ((Number) bounds.get(0)).doubleValue() && value <= ((Number) bounds.get(1)).doubleValue();
    }

    /** Waits for a trial to save and exit, even through an interrupt: its checkpoint is the work kept. */
    private static int waitFor(Process p) {
        boolean interrupted = false;
        while (true) {
            try {
                int code = p.waitFor();
                if (interrupted) Thread.currentThread().interrupt();
                return code;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private static void waitForAny(Iterable<Process> processes, long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (Process p : processes) if (!p.isAlive()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
