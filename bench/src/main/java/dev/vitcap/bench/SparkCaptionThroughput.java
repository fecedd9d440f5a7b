package dev.vitcap.bench;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.spark.CaptionTables;
import dev.vitcap.spark.SparkCaptioner;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Captioning throughput of one JVM that stays up, round after round, so that the later rounds show the
 * steady state (JIT-compiled, model open): {@code single} runs {@link ImageCaptioner#captionFiles} as
 * {@code vitcap caption} does; {@code spark} runs the {@code spark-caption} job (read, caption, write a
 * Parquet table) in a local session. One line per round. Run by {@code spark/bench-local.sh}.
 * <p>Usage: {@code SparkCaptionThroughput single|spark IMAGE_DIR CHECKPOINT.json ROUNDS [MASTER]}
 */
public final class SparkCaptionThroughput {
    private SparkCaptionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path images = Path.of(args[1]), checkpoint = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        if (engine.equals("single")) {
            List<Path> files;
            try (Stream<Path> list = Files.list(images)) {
                files = list.sorted().toList();
            }
            try (ImageCaptioner captioner = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withMaxBatch(32))) {
                for (int r = 1; r <= rounds; r++) {
                    long start = System.nanoTime();
                    int n = captioner.captionFiles(files, captioner.defaultDecoding()).size();
                    report(engine, r, n, (System.nanoTime() - start) / 1e9);
                }
            }
        } else {
            SparkSession spark = SparkSession.builder().master(args.length > 4 ? args[4] : "local[2]").appName("spark-caption throughput")
                    .config("spark.ui.enabled", false).getOrCreate();
            try {
                CaptionTables.imagesPerTask(spark);
                SparkCaptioner captioner = SparkCaptioner.of(spark, checkpoint).withBatch(32);
                Path out = Files.createTempDirectory("vitcap-spark-bench").resolve("captions.parquet");
                for (int r = 1; r <= rounds; r++) {
                    long start = System.nanoTime();
                    CaptionTables.write(CaptionTables.captionColumns(captioner.caption(CaptionTables.readImages(spark, images.toString())), false), out.toString(), true);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    report(engine, r, spark.read().parquet(out.toString()).count(), seconds);
                }
            } finally {
                SparkCaptioner.closeLocalModels();
                spark.stop();
            }
        }
    }

    private static void report(String engine, int round, long images, double seconds) {
        System.out.printf(Locale.ROOT, "%s round %d: %d images in %.2f s, %.0f images/s%n", engine, round, images, seconds, images / seconds);
    }
}
