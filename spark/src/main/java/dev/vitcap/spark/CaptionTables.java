package dev.vitcap.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_json;

/**
 * The tables the Spark commands read and write, in the format their name's extension gives:
 * {@code .parquet}, {@code .jsonl} (JSON Lines) or {@code .csv} (with a header). Spark writes a table
 * as a folder of part files under that name, in one commit: a failed job leaves no table that looks whole.
 */
public final class CaptionTables {
    /** The image files a folder's listing keeps, by extension (the formats vitcap reads). */
    static final String IMAGE_FILES = "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}";

    /** A table format, named by its extension. */
    public enum Format {
        PARQUET(".parquet"), JSONL(".jsonl"), CSV(".csv");

        final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** The format a name ends with, or null. */
        public static Format of(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            while (lower.endsWith("/")) lower = lower.substring(0, lower.length() - 1);
            for (Format f : values()) if (lower.endsWith(f.extension)) return f;
            return null;
        }
    }

    private CaptionTables() {}

    /**
     * The images to caption: a table ({@code .parquet}, {@code .jsonl}, {@code .csv}) with a string
     * column {@code image} or {@code path}, or else the image files of a folder or a glob, read as bytes by
     * the {@code binaryFile} source. A local path that does not exist is one line naming it.
     */
    public static Dataset<Row> readImages(SparkSession spark, String input) throws IOException {
        checkLocalInput(input);
        Format format = Format.of(input);
        if (format != null) return read(spark, input, format);
        return spark.read().format("binaryFile").option("pathGlobFilter", IMAGE_FILES).load(input)
                .drop("modificationTime", "length");
    }

    /**
     * Sizes a folder's tasks for images rather than for big data files, unless the session sets these
     * itself: Spark counts 4 MB of cost per file opened, which cut 2,000 small images into 63 tasks of
     * 32, each ending with its last images waiting alone for the model; with the cost of a 64 KB read and
     * at least four tasks per core, the same images made 8 tasks, and large folders still split at
     * {@code spark.sql.files.maxPartitionBytes}.
     */
    public static void imagesPerTask(SparkSession spark) {
        var conf = spark.conf();
        if (!conf.contains("spark.sql.files.openCostInBytes")) conf.set("spark.sql.files.openCostInBytes", 65_536L);
        if (!conf.contains("spark.sql.files.minPartitionNum")) conf.set("spark.sql.files.minPartitionNum", 4L * spark.sparkContext().defaultParallelism());
    }

    /** A table in the format of its extension. */
    public static Dataset<Row> read(SparkSession spark, String input, Format format) {
        return switch (format) {
            case PARQUET -> spark.read().parquet(input);
            case JSONL -> spark.read().json(input);
            case CSV -> spark.read().option("header", true).option("multiLine", true).option("escape", "\"").csv(input);
        };
    }

    /**
     * The command's output columns: {@code image} (a local file as its plain path, not a {@code file:} URI),
     * {@code caption}, {@code log_prob}, {@code alternatives} when asked for, {@code error}.
     */
    public static Dataset<Row> captionColumns(Dataset<Row> captioned, boolean alternatives) {
        String name = List.of(captioned.columns()).contains("content") || !List.of(captioned.columns()).contains("image") ? "path" : "image";
        List<Column> out = new ArrayList<>(List.of(regexp_replace(col(name), "^file:", "").as("image"),
                col(SparkCaptioner.CAPTION), col(SparkCaptioner.LOG_PROB)));
        if (alternatives) out.add(col(SparkCaptioner.ALTERNATIVES));
        out.add(col(SparkCaptioner.ERROR));
        return captioned.select(out.toArray(Column[]::new));
    }

    /**
     * Writes a table as its name's extension says; CSV, which has no nested values, gets list and struct
     * columns as JSON text. An existing output is refused unless {@code overwrite}.
     */
    public static void write(Dataset<Row> table, String output, boolean overwrite) throws IOException {
        Format format = Format.of(output);
        if (format == null) throw new IllegalArgumentException(output + ": name the output .parquet, .jsonl or .csv (its format)");
        if (!overwrite) checkNotThere(output);
        var writer = (format == Format.CSV ? flat(table) : table).write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
        switch (format) {
            case PARQUET -> writer.parquet(output);
            case JSONL -> writer.option("ignoreNullFields", false).json(output); // every row has every column, null or not
            case CSV -> writer.option("header", true).option("escape", "\"").csv(output); // quotes doubled, as RFC 4180 and spreadsheets have them
        }
    }

    private static Dataset<Row> flat(Dataset<Row> table) {
        List<Column> columns = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            DataType t = f.dataType();
            boolean nested = t instanceof ArrayType || t instanceof StructType || t instanceof MapType;
            columns.add(nested ? to_json(col(f.name())).cast(DataTypes.StringType).as(f.name()) : col(f.name()));
        }
        return table.select(columns.toArray(Column[]::new));
    }

    /** Refuses a local output that exists (Spark would, after starting the job). */
    public static void checkNotThere(String output) throws IOException {
        if (!output.contains("://") && Files.exists(localPath(output))) throw new IOException(output + ": already exists (--overwrite replaces it)");
    }

    /** Refuses a local input that is not there, before Spark's longer message; globs and other file systems pass. */
    public static void checkLocalInput(String input) throws IOException {
        if (input.contains("://") || input.matches(".*[*?\\[{].*")) return;
        Path p = localPath(input);
        if (!Files.exists(p)) throw new IOException(input + ": " + dev.vitcap.io.Missing.why(p));
    }

    private static Path localPath(String name) {
        return Path.of(name.startsWith("file:") ? name.substring("file:".length()) : name);
    }
}
