package dev.vitcap.app;

import dev.vitcap.metrics.CaptionFiles;
import dev.vitcap.spark.CaptionTables;
import dev.vitcap.spark.SparkScorer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/** {@code vitcap spark-score}: the COCO caption metrics of a captions table of any size on Spark, equal to {@code vitcap score}'s. */
@Command(name = "spark-score", mixinStandardHelpOptions = true,
        description = {"Score candidate captions with BLEU-1..4, ROUGE-L and CIDEr-D on Apache Spark, with the numbers of vitcap score.",
            "Reads vitcap score's JSON files, or tables (.parquet, .jsonl, .csv) with columns image_id and caption."})
final class SparkScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--annotations", required = true, paramLabel = "ANN.json|REFS.parquet",
            description = "Reference captions: COCO captions or Karpathy JSON, or a table with a row per reference (image_id, caption).")
    String annotations;

    @Option(names = "--results", required = true, paramLabel = "RES.json|CANDS.parquet",
            description = "Candidate captions: COCO results JSON [{\"image_id\", \"caption\"}], or a table (image_id, caption).")
    String results;

    @Option(names = "--split", paramLabel = "SPLIT", description = "The images of a Karpathy-format file to score: test or val (or train, restval).")
    String split;

    @Option(names = "--lenient", description = "Skip, and count, images without a result, results for unknown images and duplicate results.")
    boolean lenient;

    @Option(names = "--json", description = "Print one JSON object of the scores, keyed as the reference code keys them.")
    boolean json;

    @Option(names = "--per-image", paramLabel = "OUT.parquet|OUT.jsonl|OUT.csv", description = "Also write every image's scores as a table.")
    String perImage;

    @Option(names = "--overwrite", description = "Replace --per-image if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (perImage != null && CaptionTables.Format.of(perImage) == null) throw new ParameterException(spec.commandLine(), "--per-image " + perImage + ": name it .parquet, .jsonl or .csv (its format)");
        if (perImage != null && !overwrite) CaptionTables.checkNotThere(perImage);
        // JSON files are read, and tables looked for, before Spark starts (seconds).
        boolean refsJson = CaptionTables.Format.of(annotations) == null, resultsJson = CaptionTables.Format.of(results) == null;
        if (split != null && !refsJson) throw new ParameterException(spec.commandLine(), "--split selects images of a Karpathy JSON file, and " + annotations + " is a table");
        CaptionFiles.References refs = refsJson ? CaptionFiles.readReferences(Path.of(annotations), split) : null;
        List<CaptionFiles.Result> candidates = resultsJson ? CaptionFiles.readResults(Path.of(results)) : null;
        if (!refsJson) CaptionTables.checkLocalInput(annotations);
        if (!resultsJson) CaptionTables.checkLocalInput(results);
        SparkSession spark = sparkOptions.session("vitcap spark-score");
        try {
            SparkScorer.Result scores = SparkScorer.score(captions(spark, refs, candidates));
            if (perImage != null) CaptionTables.write(scores.perImage(), perImage, overwrite);
            PrintWriter out = spec.commandLine().getOut();
            ScoreCommand.print(out, scores.corpus(), scores.images(), json);
            out.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** One row per image: paired on the driver as vitcap score pairs them when both are JSON files, else in Spark. */
    private Dataset<Row> captions(SparkSession spark, CaptionFiles.References refs, List<CaptionFiles.Result> candidates) throws Exception {
        if (refs != null && candidates != null) {
            CaptionFiles.Matched matched = CaptionFiles.match(refs, Path.of(results), candidates, lenient);
            if (matched.skipped() > 0) {
                System.err.println("vitcap spark-score: skipped " + matched.skippedText());
            }
            return SparkScorer.table(spark, matched);
        }
        Dataset<Row> references = refs != null ? SparkScorer.referenceRows(spark, refs) : table(spark, annotations);
        Dataset<Row> results = candidates != null ? SparkScorer.resultRows(spark, candidates) : table(spark, this.results);
        if (!references.schema().apply(SparkScorer.IMAGE_ID).dataType().equals(results.schema().apply(SparkScorer.IMAGE_ID).dataType())) {
            // A CSV's ids are text where a JSON file's are numbers: compared as text.
            references = references.withColumn(SparkScorer.IMAGE_ID, col(SparkScorer.IMAGE_ID).cast(DataTypes.StringType));
            results = results.withColumn(SparkScorer.IMAGE_ID, col(SparkScorer.IMAGE_ID).cast(DataTypes.StringType));
        }
        return SparkScorer.pair(results, references, lenient);
    }

    private static Dataset<Row> table(SparkSession spark, String file) {
        Dataset<Row> t = CaptionTables.read(spark, file, CaptionTables.Format.of(file));
        for (String column : List.of(SparkScorer.IMAGE_ID, SparkScorer.CAPTION)) {
            if (!List.of(t.columns()).contains(column)) {
                throw new IllegalArgumentException(file + ": the table needs columns image_id and caption; it has " + String.join(", ", t.columns()));
            }
        }
        return t.select(SparkScorer.IMAGE_ID, SparkScorer.CAPTION);
    }
}
