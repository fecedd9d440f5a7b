package dev.vitcap.app;

import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.spark.CaptionTables;
import dev.vitcap.spark.SparkCaptioner;
import dev.vitcap.weights.Checkpoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;


/** {@code vitcap spark-caption}: captions a folder, a glob or a table of images on Spark, through {@link SparkCaptioner}. */
@Command(name = "spark-caption", mixinStandardHelpOptions = true,
        description = {"Caption images on Apache Spark: locally (--master local[N]) or under spark-submit on a cluster.",
            "Writes a table with columns image, caption, log_prob (alternatives with --alternatives) and error."})
final class SparkCaptionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    DecodingOptions decodingOptions;

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--input", required = true, paramLabel = "DIR|GLOB|FILE.parquet",
            description = "The image files of a folder or a glob, or a table (.parquet, .jsonl, .csv) with a column image or path.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "OUT.parquet|OUT.jsonl|OUT.csv",
            description = "The captions table, in the format of its extension (a folder of part files, as Spark writes).")
    String output;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE.json", description = "The model; shipped to every executor unless --shared-checkpoint.")
    Path checkpoint;

    @Option(names = "--shared-checkpoint", description = "Every executor reads --checkpoint at its path (a shared file system) instead of receiving a copy.")
    boolean sharedCheckpoint;

    @Option(names = "--batch", defaultValue = "32", converter = Ranges.MaxBatch.class, description = "Images an executor captions together, at least 1 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        decodingOptions.check();
        if (CaptionTables.Format.of(output) == null) throw new ParameterException(spec.commandLine(), "--output " + output + ": name it .parquet, .jsonl or .csv (its format)");
        // What can be checked here is, before Spark starts (seconds).
        CaptionTables.checkLocalInput(input);
        if (!overwrite) CaptionTables.checkNotThere(output);
        Checkpoint model = Checkpoint.load(checkpoint);
        var decoding = decodingOptions.decoding(model.decoding() != null ? model.decoding() : DecodeOptions.GREEDY);
        boolean alternatives = decoding.alternatives() > 0;
        SparkSession spark = sparkOptions.session("vitcap spark-caption");
        try {
            LongAccumulator captioned = spark.sparkContext().longAccumulator("captioned"), failed = spark.sparkContext().longAccumulator("unreadable");
            SparkCaptioner captioner = (sharedCheckpoint ? SparkCaptioner.onSharedPath(checkpoint) : SparkCaptioner.of(spark, checkpoint))
                    .withBackend(backend.name).withBatch(batch).withDecoding(decoding).withAlternatives(alternatives).counting(captioned, failed);
            CaptionTables.imagesPerTask(spark);
            Dataset<Row> images = CaptionTables.readImages(spark, input);
            long start = System.nanoTime();
            CaptionTables.write(CaptionTables.captionColumns(captioner.caption(images), alternatives), output, overwrite);
            double seconds = (System.nanoTime() - start) / 1e9;
            long total = captioned.sum() + failed.sum();
            if (total == 0) throw new IOException(input + ": no images here (JPEG, PNG, BMP or GIF files)");
            System.err.printf(Locale.ROOT, "vitcap spark-caption: %d images captioned, %d unreadable (their rows hold the error), in %.1f s (%.0f images/s) -> %s%n",
                    captioned.sum(), failed.sum(), seconds, total / seconds, output);
            return failed.sum() == 0 ? 0 : 1;
        } finally {
            SparkCaptioner.closeLocalModels();
            spark.stop();
        }
    }
}
