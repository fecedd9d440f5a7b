package dev.vitcap.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.metrics.CaptionFileException;
import dev.vitcap.metrics.CaptionFiles;
import dev.vitcap.metrics.CaptionScores;
import dev.vitcap.metrics.CocoMetrics;
import dev.vitcap.metrics.Meteor;
import dev.vitcap.text.PtbTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** {@code vitcap score}: the COCO caption metrics of a results file against reference captions. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores candidate captions with the COCO caption metrics: BLEU-1..4, ROUGE-L and CIDEr-D,",
            "equal to the COCO caption evaluation code (pycocoevalcap), and METEOR with --meteor-jar."})
public final class ScoreCommand implements Callable<Integer> {
    private static final String METEOR = "METEOR";

    @Spec
    private CommandSpec spec;

    @Option(names = "--annotations", required = true, paramLabel = "ANN.json",
            description = "Reference captions: COCO captions format, or Karpathy split format (dataset_coco.json).")
    private Path annotations;

    @Option(names = "--results", required = true, paramLabel = "RES.json",
            description = "Candidate captions in the COCO results format: [{\"image_id\", \"caption\"}].")
    private Path results;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "The images of a Karpathy-format file to score: test or val (or train, restval).")
    private String split;

    @Option(names = "--json", description = "Print one JSON object of the scores, keyed as the reference code keys them.")
    private boolean json;

    @Option(names = "--per-image", paramLabel = "FILE", description = "Also write every image's scores to FILE (JSON).")
    private Path perImage;

    @Option(names = "--lenient",
            description = "Skip, and count, images without a result, results for unknown images and duplicate results.")
    private boolean lenient;

    @Option(names = "--meteor-jar", paramLabel = "JAR",
            description = "Also compute METEOR with this meteor-1.5.jar (needs its data files beside it).")
    private Path meteorJar;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(spec.commandLine().getOut(), err);
            return 0;
        } catch (CaptionFileException e) {
            err.println("vitcap score: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void run(PrintWriter out, PrintWriter err) throws CaptionFileException {
        try {
            PathOptions.fileToWrite("--per-image", perImage);
        } catch (IOException e) {
            throw new CaptionFileException(e.getMessage());
        }
        if (meteorJar != null) {
            Meteor.checkRunnable(meteorJar);
        }
        // Build the tokenizer's automaton on the other core while this one reads the files.
        CompletableFuture<PtbTokenizer> tokenizer = CompletableFuture.supplyAsync(PtbTokenizer::instance);
        CaptionFiles.References references = CaptionFiles.readReferences(annotations, split);
        CaptionFiles.Matched matched = CaptionFiles.match(references, results, CaptionFiles.readResults(results), lenient);
        if (matched.skipped() > 0) {
            err.println("vitcap score: skipped " + matched.skippedText());
        }
        tokenizer.join();
        CocoMetrics.Tokenized tokenized = CocoMetrics.tokenize(matched.references(), matched.candidates());
        if (!tokenized.aligned()) {
            err.println("vitcap score: warning: a caption holds a line break other than a line feed; the reference "
                    + "tokenizer then gives later captions the wrong tokens, and so these scores do too");
        }
        CaptionScores scores = CocoMetrics.score(tokenized);
        if (meteorJar != null) {
            scores = withMeteor(scores, tokenized);
        }
        if (perImage != null) {
            writePerImage(matched.imageIds(), scores);
        }
        Map<String, Double> corpus = new LinkedHashMap<>();
        for (String metric : scores.metrics()) corpus.put(metric, scores.corpus(metric));
        print(out, corpus, scores.images(), json);
        if (!json) {
            if (meteorJar == null) {
                out.println("METEOR and SPICE: not computed (they run their own Java jars); "
                        + "--meteor-jar PATH/meteor-1.5.jar adds METEOR.");
            } else {
                out.println("SPICE: not computed.");
            }
        }
        out.flush();
    }

    /** Corpus scores as one JSON object keyed as the reference code keys them, or as a table and the image count. */
    static void print(PrintWriter out, Map<String, Double> corpus, long images, boolean json) {
        if (json) {
            ObjectNode object = new ObjectMapper().createObjectNode();
            corpus.forEach(object::put);
            out.println(object);
        } else {
            out.printf("%-8s  %s%n", "metric", "score");
            corpus.forEach((metric, score) -> out.printf(Locale.ROOT, "%-8s  %.6f%n", metric, score));
            out.printf("images: %d%n", images);
        }
    }

    private CaptionScores withMeteor(CaptionScores scores, CocoMetrics.Tokenized tokenized)
            throws CaptionFileException {
        try (Meteor meteor = Meteor.start(meteorJar)) {
            Meteor.Scores m = meteor.score(tokenized.references(), tokenized.candidates());
            return scores.with(METEOR, m.corpus(), m.perImage());
        } catch (CaptionFileException e) {
            throw e;
        } catch (Exception e) {
            throw new CaptionFileException("METEOR: " + e.getMessage());
        }
    }

    /** The reference's per-image list: {"image_id", metric: score ...}, written whole or not at all. */
    private void writePerImage(List<JsonNode> imageIds, CaptionScores scores) throws CaptionFileException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode list = mapper.createArrayNode();
        for (int i = 0; i < imageIds.size(); i++) {
            ObjectNode image = list.addObject();
            image.set("image_id", imageIds.get(i));
            for (String metric : scores.metrics()) {
                image.put(metric, scores.image(metric, i));
            }
        }
        try {
            AtomicFiles.writeString(perImage, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(list));
        } catch (IOException e) {
            throw new CaptionFileException(perImage + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
