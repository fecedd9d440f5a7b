package dev.vitcap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.data.TestImages;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to every command, run in-process: each is answered with exactly one line on stderr naming
 * the option or file and what is wrong, without a Java class name or a stack trace, with status 2 for a
 * usage error (an option's value out of range, options that contradict each other) or 1 for a file that
 * cannot be used; quickly (the table once held an infinite loop, {@code caption --batch 0}); and before
 * any work, so nothing is written.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path images, csv, coco, checkpoint, showTell, shortVocabulary, file, loop;

    /** The table: arguments ({NAME} for a path made below), the exit status, and a fragment of the line. */
    static Stream<Arguments> cases() {
        String caption = "caption {images} --checkpoint {checkpoint} ";
        String train = "train --annotations {csv} --images {images} --out {dir}/run --model tiny ";
        String prepare = "prepare --annotations {csv} --images {images} --out {dir}/cache ";
        String evaluate = "evaluate --checkpoint {checkpoint} --annotations {csv} --images {images} ";
        String serve = "serve --checkpoint {checkpoint} ";
        String tune = "tune --annotations {csv} --images {images} --out {dir}/search --space ";
        return Stream.of(
                // Decoding options: the list, then more.
                row(caption + "--batch 0", 2, "--batch must be at least 1, not 0"),
                row(caption + "--batch -1", 2, "--batch must be at least 1, not -1"),
                row(caption + "--batch x", 2, "--batch must be a whole number, not 'x'"),
                row(caption + "--beam 0", 2, "--beam must be between 1 and 32, not 0"),
                row(caption + "--beam -3", 2, "--beam must be between 1 and 32, not -3"),
                row(caption + "--beam 33", 2, "--beam must be between 1 and 32, not 33"),
                row(caption + "--max-words 0", 2, "--max-words must be between 1 and 100, not 0"),
                row(caption + "--max-words 1000000", 2, "--max-words must be between 1 and 100, not 1000000"),
                row(caption + "--min-words -1", 2, "--min-words must be between 0 and 100, not -1"),
                row(caption + "--min-words 5 --max-words 3", 2, "--min-words (5) exceeds --max-words (3)"),
                row(caption + "--length-penalty NaN", 2, "--length-penalty must be a finite number, not NaN"),
                row(caption + "--sample --top-p 2", 2, "--top-p must be in (0, 1], not 2"),
                row(caption + "--sample --top-p 0", 2, "--top-p must be in (0, 1], not 0"),
                row(caption + "--sample --top-k -1", 2, "--top-k must be at least 0, not -1"),
                row(caption + "--sample --temperature -1", 2, "--temperature must be above 0, not -1"),
                row(caption + "--sample --temperature NaN", 2, "--temperature must be above 0, not NaN"),
                row(caption + "--top-p 0.5", 2, "--top-p applies only with --sample"),
                row(caption + "--temperature 0.7 --seed 3", 2, "--temperature and --seed apply only with --sample"),
                row(caption + "--sample --beam 3", 2, "--sample and --beam 3 exclude each other"),
                row(caption + "--alternatives 3 --beam 3", 2, "--alternatives must be less than the beam width (3), not 3"),
                row(caption + "--alternatives 40", 2, "--alternatives must be between 0 and 31, not 40"),
                row(caption + "--rescore 1.5", 2, "--rescore must be between 0 and 1, not 1.5"),
                row(caption + "--rescore 0.5 --sample", 2, "--sample and --rescore exclude each other"),
                row(caption + "--rescore 0.5", 1, "--rescore needs a model trained with --directions both; {checkpoint} has l2r only"),
                // Caption's files.
                row(caption + "--attention-maps {file}", 1, "{file}: a file, not a folder (--attention-maps)"),
                row("caption {images} --checkpoint {showTell} --attention-maps {dir}/maps", 2, "has a show-and-tell decoder, which has no attention to draw"),
                row("caption {loop} --checkpoint {checkpoint}", 1, "{loop}: a symbolic link loop"),
                row("caption {loop}/inside.png --checkpoint {checkpoint}", 1, "a symbolic link loop ({loop})"),
                row("caption {dir}/missing.png --checkpoint {checkpoint}", 1, "{dir}/missing.png: no such file"),
                row("caption {dir}/empty --checkpoint {checkpoint}", 1, "{dir}/empty: no images here"),
                row("caption {images} --checkpoint {loop}", 1, "{loop}: a symbolic link loop"),
                row("caption {images} --checkpoint {dir}", 1, "{dir}: a folder, not a checkpoint's .json file"),
                row("caption {images} --checkpoint {file}", 1, "{file}:1:1: not valid JSON"),
                row("caption {images} --checkpoint {shortVocabulary}", 1, "{shortVocabulary}: the vocabulary has 7 words but the decoder has 9"),
                // Usage errors from the parser.
                row(caption + "--jsno", 2, "unknown option '--jsno'; did you mean --json?"),
                row("caption {images}", 2, "Missing required option: '--checkpoint=FILE.json'"),
                row("captionn", 2, "'captionn' is not a command; did you mean caption or spark-caption?"),
                row("score extra --annotations {coco} --results {coco}", 2, "unexpected argument 'extra'"),
                row("train --annotations {dir}/missing.json --images {images} --out {dir}/run", 1, "{dir}/missing.json: no such file (--annotations)"),
                row("train --annotations {csv} --images {images} --out {dir}/run --encoder-weights {dir}", 1, "{dir}: a folder, not a file (--encoder-weights)"),
                // Evaluate.
                row(evaluate + "--beam 0", 2, "--beam must be between 1 and 32, not 0"),
                row(evaluate + "--rescore 0.3", 1, "--rescore needs a model trained with --directions both; {checkpoint} has l2r only"),
                row("evaluate --checkpoint {checkpoint} --annotations {csv} --images {dir}/nowhere", 1, "{dir}/nowhere: no such folder (--images)"),
                row(evaluate + "--results {dir}", 1, "{dir}: a folder, not a file (--results)"),
                row(evaluate + "--results {file}/results.json", 1, "cannot be made, {file} is a file, not a folder (--results)"),
                // Train: every option with a range, refused before the image cache is built.
                row(train + "--epochs 0", 2, "--epochs must be at least 1, not 0"),
                row(train + "--batch 0", 2, "--batch must be at least 1, not 0"),
                row(train + "--lr NaN", 2, "--lr must be above 0, not NaN"),
                row(train + "--lr 0", 2, "--lr must be above 0, not 0"),
                row(train + "--lr Infinity", 2, "--lr must be above 0, not Infinity"),
                row(train + "--lr fast", 2, "--lr must be a number, not 'fast'"),
                row(train + "--encoder-lr -1", 2, "--encoder-lr must be at least 0, not -1"),
                row(train + "--weight-decay -0.1", 2, "--weight-decay must be at least 0, not -0.1"),
                row(train + "--warmup -1", 2, "--warmup must be at least 0, not -1"),
                row(train + "--min-lr-ratio 1.5", 2, "--min-lr-ratio must be between 0 and 1, not 1.5"),
                row(train + "--clip -1", 2, "--clip must be at least 0, not -1"),
                row(train + "--label-smoothing 1", 2, "--label-smoothing must be in [0, 1), not 1"),
                row(train + "--label-smoothing -0.1", 2, "--label-smoothing must be in [0, 1), not -0.1"),
                row(train + "--attention-reg -1", 2, "--attention-reg must be at least 0, not -1"),
                row(train + "--region-loss -1", 2, "--region-loss must be at least 0, not -1"),
                row(train + "--position-loss -1", 2, "--position-loss must be at least 0, not -1"),
                row("train --annotations {csv} --images {images} --out {dir}/run --init {checkpoint} --position-loss 1", 1,
                        "--position-loss trains a position head, and the model of {checkpoint} has none: start a new model, or leave --position-loss out"),
                row(train + "--freeze-encoder-epochs -1", 2, "--freeze-encoder-epochs must be at least 0, not -1"),
                row(train + "--patience -1", 2, "--patience must be at least 0, not -1"),
                row(train + "--eval-beam 0", 2, "--eval-beam must be between 1 and 32, not 0"),
                row(train + "--eval-limit -1", 2, "--eval-limit must be at least 0, not -1"),
                row(train + "--time-budget 0", 2, "--time-budget must be in (0, 10000000], not 0"),
                row(train + "--time-budget NaN", 2, "--time-budget must be in (0, 10000000], not NaN"),
                row(train + "--image-size 33", 2, "--image-size must be a multiple of the model's patch size (8), not 33"),
                row(train + "--image-size 2048", 2, "--image-size must be between 1 and 1024, not 2048"),
                row(train + "--max-length 1", 2, "--max-length must be between 2 and 1024, not 1"),
                row(train + "--max-length 5000", 2, "--max-length must be between 2 and 1024, not 5000"),
                row(train + "--min-count 0", 2, "--min-count must be at least 1, not 0"),
                row(train + "--threads 0", 2, "--threads must be at least 1, not 0"),
                row(train + "--model huge", 2, "--model must be tiny, small or base, not 'huge'"),
                row(train + "--decoder lstm", 2, "--decoder must be attention or showtell, not 'lstm'"),
                row(train + "--directions backwards", 2, "--directions must be l2r, r2l or both, not 'backwards'"),
                row(train + "--pos-init random", 2, "--pos-init must be trunc_normal or sincos, not 'random'"),
                row(train + "--pos-init sincos --encoder-weights {file}", 2, "--pos-init starts a new position table, --encoder-weights ({file}) brings its own: give one"),
                row("train --annotations {csv} --images {images} --out {dir}/run --init {checkpoint} --pos-init sincos", 2,
                        "--pos-init shapes a new model: the --init checkpoint ({checkpoint}) has its own"),
                row(train + "--references best", 2, "--references must be all or consensus, not 'best'"),
                row(train + "--config {checkpoint}", 2, "--model is for a preset: {checkpoint} (--config) names its own model"),
                row("train --annotations {csv} --images {images} --out {file}", 1, "{file}: a file, not a folder (--out)"),
                row("train --annotations {csv} --images {file} --out {dir}/run", 1, "{file}: a file, not a folder (--images)"),
                row("train --annotations {loop} --images {images} --out {dir}/run", 1, "{loop}: a symbolic link loop"),
                row(train + "--scst", 2, "--scst continues a cross-entropy model: give its checkpoint with --init"),
                row(train + "--scst-samples 3", 2, "--scst-samples is for self-critical training: add --scst"),
                row(train + "--scst --init {checkpoint}", 2, "--model shapes a new model: the --init checkpoint ({checkpoint}) has its own"),
                row(train + "--scst-samples 0", 2, "--scst-samples must be between 1 and 64, not 0"),
                row(train + "--scst-baseline best", 2, "--scst-baseline must be greedy or mean, not 'best'"),
                row("train --annotations {csv} --images {images} --out {dir}/run --scst --init {checkpoint} --scst-baseline mean --scst-samples 1", 2,
                        "--scst-baseline mean: the mean baseline averages an image's other samples: it needs at least 2 samples per image, not 1"),
                row("train --annotations {csv} --images {images} --out {dir}/run --init {dir}/missing.json", 1, "{dir}/missing.json: no such file (--init)"),
                row("train --annotations {csv} --images {images} --out {dir}/run --resume --overwrite", 2, "--resume continues the run in --out, --overwrite replaces it: give one"),
                row("train --annotations {csv} --images {images} --out {dir}/run --resume", 1, "{dir}/run: nothing to resume (no last.json); start the run afresh, without --resume"),
                // Prepare.
                row(prepare + "--size 100000", 2, "--size must be between 1 and 1024, not 100000"),
                row(prepare + "--size 20000", 2, "--size must be between 1 and 1024, not 20000"),
                row(prepare + "--size 0", 2, "--size must be between 1 and 1024, not 0"),
                row(prepare + "--size 32 --threads 0", 2, "--threads must be at least 1, not 0"),
                row("prepare --annotations {csv} --images {dir}/nowhere --out {dir}/cache --size 32", 1, "{dir}/nowhere: no such folder (--images)"),
                row("prepare --annotations {csv} --images {images} --out {file}/cache --size 32", 1, "cannot be made, {file} is a file, not a folder (--out)"),
                // Serve: refused before the model is loaded or a port is bound.
                row(serve + "--port 70000", 2, "--port must be between 0 and 65535, not 70000"),
                row(serve + "--port -1", 2, "--port must be between 0 and 65535, not -1"),
                row(serve + "--max-batch 0", 2, "--max-batch must be at least 1, not 0"),
                row(serve + "--max-wait-ms -1", 2, "--max-wait-ms must be at least 0, not -1"),
                row(serve + "--max-upload-mb 0", 2, "--max-upload-mb must be in (0, 2047], not 0"),
                row(serve + "--max-upload-mb 5000", 2, "--max-upload-mb must be in (0, 2047], not 5000"),
                row(serve + "--max-pixels 0", 2, "--max-pixels must be at least 1, not 0"),
                row(serve + "--queue 0", 2, "--queue must be at least 1, not 0"),
                row(serve + "--samples {dir}/nowhere", 1, "{dir}/nowhere: no such folder (--samples)"),
                // The other commands.
                row("bench --iterations 0", 2, "--iterations must be at least 1, not 0"),
                row("bench --config huge", 2, "--config must be tiny, small or base, not 'huge'"),
                row("bench --precision fp64", 2, "--precision must be fp32, tf32 or bf16, not 'fp64'"),
                row("demo --minutes 0", 2, "--minutes must be in (0, 10000000], not 0"),
                row("demo --minutes 2 --scst-minutes 2", 2, "--scst-minutes (2.0) must be less than --minutes (2.0): cross-entropy training comes first"),
                row("demo --scst-minutes -1", 2, "--scst-minutes must be between 0 and 10000000, not -1"),
                row("demo --train 0", 2, "--train must be at least 1, not 0"),
                row("demo --val -1", 2, "--val must be at least 1, not -1"),
                row("demo --out {file}", 1, "{file}: a file, not a folder (--out)"),
                row("data synth --out {dir}/world --size 0", 2, "--size must be between 16 and 1024, not 0"),
                row("data synth --out {dir}/world --size 5000", 2, "--size must be between 16 and 1024, not 5000"),
                row("data synth --out {dir}/world --val -3", 2, "--val must be at least 0, not -3"),
                row("data synth --out {dir}/world --train 0 --val 0 --test 0", 2, "nothing to generate: every split has 0 images"),
                row("data synth --out {file}/world", 1, "cannot be made, {file} is a file, not a folder (--out)"),
                row("encode --weights {file} --config {file} --input {file} --output {dir}/out.safetensors --batch 0", 2, "--batch must be at least 1, not 0"),
                row("encode --weights {file} --config {file} --input {file} --output {dir}", 1, "{dir}: a folder, not a file (--output)"),
                row("encode --weights {file} --config {loop} --input {file} --output {dir}/out.safetensors", 1, "{loop}: a symbolic link loop"),
                row("model --summary --config huge", 2, "--config must be tiny, small, base or a FILE.json, not 'huge'"),
                row("model --diagram {dir}", 1, "{dir}: a folder, not a file (--diagram)"),
                row("model --summary --checkpoint {loop}", 1, "{loop}: a symbolic link loop"),
                row("score --annotations {coco} --results {loop}", 1, "{loop}: a symbolic link loop"),
                row("score --annotations {coco} --results {coco} --per-image {dir}", 1, "{dir}: a folder, not a file (--per-image)"),
                // The Spark commands: what can be checked is checked before Spark starts.
                row("spark-caption --input {dir}/none --output {dir}/o.jsonl --checkpoint {checkpoint}", 1, "{dir}/none: no such file"),
                row("spark-caption --input {images} --output {dir}/o.txt --checkpoint {checkpoint}", 2, "--output {dir}/o.txt: name it .parquet, .jsonl or .csv"),
                row("spark-caption --input {images} --output {images} --checkpoint {checkpoint}", 2, "name it .parquet, .jsonl or .csv"),
                row("spark-caption --input {images} --output {dir}/o.jsonl --checkpoint {dir}/none.json", 1, "{dir}/none.json"),
                row("spark-caption --input {images} --output {dir}/o.jsonl --checkpoint {checkpoint} --beam 0", 2, "--beam must be between 1 and 32, not 0"),
                row("spark-caption --input {images} --output {dir}/o.jsonl --checkpoint {checkpoint} --batch 0", 2, "--batch must be at least 1, not 0"),
                row("spark-score --annotations {coco} --results {coco} --per-image {dir}/p.txt", 2, "--per-image {dir}/p.txt: name it .parquet, .jsonl or .csv"),
                row("spark-score --annotations {dir}/none.json --results {coco}", 1, "{dir}/none.json"),
                row("spark-score --annotations {coco} --results {dir}/none.parquet", 1, "{dir}/none.parquet: no such file"),
                row("spark-score --annotations {dir}/refs.csv --results {coco} --split test", 2, "--split selects images of a Karpathy JSON file"),
                row("doctor --fixture {dir}/missing.safetensors", 1, "{dir}/missing.safetensors: no such file"),
                // The search: its own options, the train options it passes on, and the space, all before any trial.
                row(tune + "{dir}/none.json", 1, "{dir}/none.json: no such file (--space)"),
                row(tune + "{dir}/space-bounds.json", 1, "{dir}/space-bounds.json: \"lr\": log_uniform needs two bounds above 0"),
                row(tune + "{dir}/space-unknown.json", 1, "\"lrr\" is neither a `vitcap train` option"),
                row(tune + "{dir}/space-negative.json", 2, "{dir}/space-negative.json: \"lr\" = -1.0: --lr must be above 0"),
                row(tune + "{dir}/space-field.json", 1, "\"decoder.hidn\" is not a field of the model"),
                row(tune + "{dir}/space-lr.json --lr 0.01", 2, "--lr is both fixed here and searched"),
                row(tune + "{dir}/space-lr.json --lr 0", 2, "--lr must be above 0"),
                row(tune + "{dir}/space-lr.json --resume", 2, "--resume is set by the search for each trial"),
                row(tune + "{dir}/space-lr.json --algorithm grid", 2, "--algorithm must be random, hyperband, asha or bayes, not 'grid'"),
                row(tune + "{dir}/space-lr.json --objective METEOR", 2, "--objective must be CIDEr, Bleu_4, ROUGE_L, truthful, not 'METEOR'"),
                row(tune + "{dir}/space-lr.json --parallel 0", 2, "--parallel must be at least 1, not 0"),
                row(tune + "{dir}/space-lr.json --algorithm asha --time-budget 5", 2, "--time-budget: asha spends epochs"),
                row("tune --annotations {csv} --out {dir}/search --space {dir}/space-lr.json", 2, "--annotations and --images go together"));
    }

    private static Arguments row(String args, int status, String fragment) {
        return Arguments.of(args, status, fragment);
    }

    /** Words that mean a Java exception, its class or its stack reached the user. */
    private static final Pattern JAVA = Pattern.compile("Exception|Error:|java\\.|dev\\.vitcap\\.|\\tat |picocli");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineNamingWhatAndWhereBeforeAnyWork(String template, int status, String fragment) throws IOException {
        String[] args = resolve(template).split(" ");
        Set<Path> before = files();
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run(args), "an infinite loop or a slow check");
        String command = r.err.lines().findFirst().orElse("");
        assertEquals(status, r.status, template + "\n" + r.err + r.out);
        assertEquals(1, r.err.lines().count(), "one line:\n" + r.err);
        assertTrue(command.startsWith("vitcap"), command);
        assertTrue(command.contains(resolve(fragment)), "expected «" + resolve(fragment) + "» in\n" + command);
        assertFalse(JAVA.matcher(command).find(), "Java's words reached the user: " + command);
        assertEquals("", r.out, "nothing done, so nothing to say on stdout");
        assertEquals(before, files(), "a refused command writes nothing");
    }

    /** Every numeric option of every command is checked against a range, by the converter that parses it. */
    @Test
    void everyNumericOptionHasARange() {
        Set<String> unchecked = new TreeSet<>();
        for (CommandLine command : commands(Main.commandLine())) {
            for (OptionSpec o : command.getCommandSpec().options()) {
                Class<?> type = o.type();
                boolean numeric = Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == float.class || type == double.class;
                // A seed is any number.
                if (numeric && o.converters().length == 0 && !o.longestName().equals("--seed")) {
                    unchecked.add(command.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
        }
        assertEquals(Set.of(), unchecked);
    }

    /** No command's help has a format warning from picocli (a {@code %} in a description), nor fails. */
    @Test
    void everyCommandsHelpIsCleanAndSaysTheRanges() {
        StringBuilder helps = new StringBuilder();
        for (CommandLine command : commands(Main.commandLine())) {
            List<String> args = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
            args.remove(0);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.status, args + "\n" + r.err);
            assertEquals("", r.err, args + ": nothing on stderr (picocli's WARN lines go there)");
            assertTrue(r.out.startsWith("Usage: " + command.getCommandSpec().qualifiedName()), r.out);
            helps.append(r.out);
        }
        for (String range : List.of("at least 1", "1 to 1024", "in [0, 1)", "in (0, 1]", "1 to 32", "0 to 65535")) {
            assertTrue(helps.toString().replaceAll("\\s+", " ").contains(range), "the help states " + range);
        }
    }

    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.name().equals("help")) continue;
            all.add(sub);
            all.addAll(commands(sub));
        }
        return all;
    }

    @BeforeAll
    static void inputs() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        Random rng = new Random(1);
        for (String name : List.of("a.png", "b.png")) ImageIO.write(TestImages.discs(rng, 40), "png", images.resolve(name).toFile());
        csv = Files.writeString(dir.resolve("captions.csv"), "image,caption\na.png,a red circle\nb.png,a blue square\n");
        coco = Files.writeString(dir.resolve("coco.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}], "
                + "\"annotations\": [{\"id\": 1, \"image_id\": 1, \"caption\": \"a red circle\"}]}");
        file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Files.writeString(dir.resolve("space-bounds.json"), "{\"lr\": {\"log_uniform\": [0, 1]}}");
        Files.writeString(dir.resolve("space-unknown.json"), "{\"lrr\": {\"uniform\": [0, 1]}}");
        Files.writeString(dir.resolve("space-negative.json"), "{\"lr\": {\"uniform\": [-1, 1]}}");
        Files.writeString(dir.resolve("space-field.json"), "{\"decoder.hidn\": {\"choice\": [64, 128]}}");
        Files.writeString(dir.resolve("space-lr.json"), "{\"lr\": {\"log_uniform\": [1e-4, 1e-2]}}");
        Files.createDirectories(dir.resolve("empty"));
        loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, dir.resolve("loop-back"));
        Files.createSymbolicLink(dir.resolve("loop-back"), loop);
        checkpoint = checkpoint("model.json", DecoderConfig.Kind.ATTENTION);
        showTell = checkpoint("show-tell.json", DecoderConfig.Kind.SHOWTELL);
        // The same model with two words cut from its vocabulary: the file disagrees with itself.
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(checkpoint.toFile());
        ArrayNode words = (ArrayNode) json.path("vocabulary").path("words");
        words.remove(words.size() - 1);
        words.remove(words.size() - 1);
        shortVocabulary = Files.writeString(dir.resolve("short-vocabulary.json"), json.toString());
    }

    /** A tiny untrained captioner, saved. */
    private static Path checkpoint(String name, DecoderConfig.Kind kind) throws IOException {
        Vocabulary vocabulary = Vocabulary.build(List.of("a red circle", "a blue square"), PtbTokenizer.instance()::tokenize, 1, 8);
        VitConfig vit = VitConfig.builder().image(16).patch(8).dim(16).depth(1).heads(2).mlp(32).build();
        DecoderConfig decoder = DecoderConfig.builder(kind).emb(8).hidden(16).att(8).build();
        ModelConfig config = new ModelConfig(vit, decoder, 8).withVocab(vocabulary.size());
        Path json = dir.resolve(name);
        try (Kernels k = Backends.select("cpu").kernels(); Captioner m = new Captioner(k, config, 5)) {
            Checkpoint.save(json, m, null, vocabulary, DecodeOptions.GREEDY, null);
        }
        return json;
    }

    private static String resolve(String template) {
        return template.replace("{images}", images.toString()).replace("{csv}", csv.toString()).replace("{coco}", coco.toString()).replace("{checkpoint}", checkpoint.toString())
                .replace("{showTell}", showTell.toString()).replace("{shortVocabulary}", shortVocabulary.toString())
                .replace("{file}", file.toString()).replace("{loop}", loop.toString()).replace("{dir}", dir.toString());
    }

    private static Set<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return new TreeSet<>(walk.toList());
        }
    }

    private record Run(int status, String out, String err) {
    }

    /** Runs the command line as {@code main} does, but in this JVM, with stdout and stderr captured. */
    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream stdout = System.out, stderr = System.err;
        int status;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            status = Main.commandLine(args.length > 0 ? args[0] : null).execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(status, out.toString(), err.toString());
    }
}
