package dev.vitcap.spark;

import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.UnreadableImageException;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.weights.Checkpoint;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Captions a table of images on Spark: {@link #caption} adds {@code caption}, {@code log_prob}, (when asked)
 * {@code alternatives}, and {@code error} columns to a {@code Dataset<Row>} of image bytes (the
 * {@code binaryFile} source's {@code content}, named by its {@code path}) or of image paths (a string
 * column {@code image} or {@code path} that every executor can read: local, HDFS, S3 …).
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> captioned = SparkCaptioner.of(spark, Path.of("runs/demo/model/best.json")).caption(images);
 * }</pre>
 * Each executor JVM opens the checkpoint once, through {@link ImageCaptioner}, and all its tasks share it:
 * a task decodes its partition's images on its own thread and queues them, and the one model thread
 * captions what the tasks have queued together in batches. A row whose image is missing or unreadable
 * gets an {@code error} (one line naming it) and no caption; the job goes on. A caption is the one
 * {@code vitcap caption} gives the same image with the same decoding.
 */
public final class SparkCaptioner implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The columns {@link #caption} adds. */
    public static final String CAPTION = "caption", LOG_PROB = "log_prob", ALTERNATIVES = "alternatives", ERROR = "error";

    /** The checkpoint's JSON: a path every executor reads, or the name of a shipped file. */
    private final String checkpoint;
    /** The checkpoint's files by name, broadcast to the executors; null when they read {@link #checkpoint} where it is. */
    private final Broadcast<Map<String, byte[]>> shipped;
    private final String backend;
    private final int batch;
    private final DecodeOptions decoding;
    private final boolean alternatives;
    /** Rows captioned and rows with an error, counted by the tasks; null until {@link #counting}. */
    private final LongAccumulator captioned, failed;

    private SparkCaptioner(String checkpoint, Broadcast<Map<String, byte[]>> shipped, String backend, int batch, DecodeOptions decoding, boolean alternatives,
                           LongAccumulator captioned, LongAccumulator failed) {
        ImageCaptioner.Options.MAX_BATCH.check("batch", batch);
        this.checkpoint = checkpoint;
        this.shipped = shipped;
        this.backend = backend;
        this.batch = batch;
        this.decoding = decoding;
        this.alternatives = alternatives;
        this.captioned = captioned;
        this.failed = failed;
    }

    /**
     * Ships a checkpoint (its JSON and weights) to every executor, as a broadcast variable that each executor
     * fetches once and writes to a temporary folder of its own: the path need only exist on the driver. A
     * local session's executor is the driver, which reads the checkpoint where it is. The checkpoint is
     * checked here, so a wrong one fails before the job starts.
     */
    public static SparkCaptioner of(SparkSession spark, Path checkpoint) throws IOException {
        if (spark.sparkContext().isLocal()) return onSharedPath(checkpoint);
        Checkpoint.readModelConfig(checkpoint);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Path file : Checkpoint.files(checkpoint)) files.put(file.getFileName().toString(), Files.readAllBytes(file));
        Broadcast<Map<String, byte[]>> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(files);
        return new SparkCaptioner(checkpoint.getFileName().toString(), shipped, null, 32, null, false, null, null);
    }

    /** Opens a checkpoint at a path every executor sees the same (a shared file system), without shipping it. */
    public static SparkCaptioner onSharedPath(Path checkpoint) throws IOException {
        Checkpoint.readModelConfig(checkpoint);
        return new SparkCaptioner(checkpoint.toAbsolutePath().toString(), null, null, 32, null, false, null, null);
    }

    /** The backend the executors run on (cpu, cuda, reference; default: the fastest usable). */
    public SparkCaptioner withBackend(String name) {
        return new SparkCaptioner(checkpoint, shipped, name, batch, decoding, alternatives, captioned, failed);
    }

    /** The most images an executor captions together (default 32). */
    public SparkCaptioner withBatch(int n) {
        return new SparkCaptioner(checkpoint, shipped, backend, n, decoding, alternatives, captioned, failed);
    }

    /** How captions are decoded (default: the checkpoint's decoding). */
    public SparkCaptioner withDecoding(DecodeOptions d) {
        return new SparkCaptioner(checkpoint, shipped, backend, batch, Objects.requireNonNull(d, "decoding"), alternatives, captioned, failed);
    }

    /** Adds the {@code alternatives} column: beam search's other captions, each a {@code caption} and its {@code log_prob}. */
    public SparkCaptioner withAlternatives(boolean on) {
        return new SparkCaptioner(checkpoint, shipped, backend, batch, decoding, on, captioned, failed);
    }

    /**
     * Counts the rows captioned and the rows with an error into two accumulators of the session, read after
     * the job: a summary without reading the table back. A task that Spark runs again (after a lost
     * executor) counts again; the table itself holds each row once.
     */
    public SparkCaptioner counting(LongAccumulator captionedRows, LongAccumulator errorRows) {
        return new SparkCaptioner(checkpoint, shipped, backend, batch, decoding, alternatives, captionedRows, errorRows);
    }

    /** The alternatives column's type: a list of (caption, log_prob). */
    public static final ArrayType ALTERNATIVES_TYPE = DataTypes.createArrayType(new StructType()
            .add(CAPTION, DataTypes.StringType).add(LOG_PROB, DataTypes.DoubleType));

    /**
     * The images' rows with the caption columns added after theirs. The image is the binary column
     * {@code content} when there is one, else the string column {@code image}, else {@code path}.
     */
    public Dataset<Row> caption(Dataset<Row> images) {
        StructType in = images.schema();
        int content = binaryColumn(in, "content");
        int name = content >= 0 ? stringColumn(in, "path") : stringColumn(in, "image");
        if (name < 0) name = stringColumn(in, "path");
        if (name < 0) {
            throw new IllegalArgumentException("the images table needs a string column 'image' or 'path' (or the binaryFile source's 'content' and 'path'); it has "
                    + String.join(", ", in.fieldNames()));
        }
        StructType out = in.add(CAPTION, DataTypes.StringType).add(LOG_PROB, DataTypes.DoubleType);
        if (alternatives) out = out.add(ALTERNATIVES, ALTERNATIVES_TYPE);
        out = out.add(ERROR, DataTypes.StringType);
        int nameColumn = name;
        return images.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Partition(this, rows, nameColumn, content), Encoders.row(out));
    }

    private static int binaryColumn(StructType schema, String name) {
        int i = Arrays.asList(schema.fieldNames()).indexOf(name);
        return i >= 0 && schema.fields()[i].dataType() instanceof BinaryType ? i : -1;
    }

    private static int stringColumn(StructType schema, String name) {
        int i = Arrays.asList(schema.fieldNames()).indexOf(name);
        return i >= 0 && schema.fields()[i].dataType() instanceof StringType ? i : -1;
    }

    /** The checkpoint as this JVM reaches it. */
    private Path localCheckpoint() throws IOException {
        return shipped == null ? Path.of(checkpoint) : ExecutorCaptioners.received(shipped.id(), shipped.value()).resolve(checkpoint);
    }

    /**
     * One partition's rows, captioned in order: the task reads and queues up to two batches of images
     * ahead of the row it hands back, so the model thread always has the task's next images.
     */
    private static final class Partition implements Iterator<Row> {
        private record Pending(Row row, CompletableFuture<Caption> caption, String error) {}

        private final SparkCaptioner job;
        private final Iterator<Row> rows;
        private final int name, content;
        private final ImageCaptioner captioner;
        private final DecodeOptions decoding;
        private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
        private Configuration hadoop;

        Partition(SparkCaptioner job, Iterator<Row> rows, int name, int content) throws IOException {
            this.job = job;
            this.rows = rows;
            this.name = name;
            this.content = content;
            this.captioner = ExecutorCaptioners.get(new ExecutorCaptioners.Key(job.localCheckpoint(), job.backend, job.batch));
            this.decoding = job.decoding != null ? job.decoding : captioner.defaultDecoding();
        }

        @Override
        public boolean hasNext() {
            fill();
            return !ahead.isEmpty();
        }

        @Override
        public Row next() {
            fill();
            Pending p = ahead.poll();
            if (p == null) throw new NoSuchElementException();
            Caption c = null;
            String error = p.error();
            if (error == null) {
                try {
                    c = p.caption().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while captioning " + p.row().getString(name));
                } catch (ExecutionException e) {
                    throw new IllegalStateException(p.row().getString(name) + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            return withCaption(p.row(), c, error);
        }

        private void fill() {
            while (ahead.size() < 2 * job.batch && rows.hasNext()) {
                Row row = rows.next();
                String image = row.isNullAt(name) ? null : row.getString(name);
                // A local file is named by its path in the error, as vitcap caption names it.
                if (image != null && image.startsWith("file:")) image = image.substring("file:".length());
                try {
                    byte[] bytes = content >= 0 && !row.isNullAt(content) ? (byte[]) row.get(content) : read(image);
                    ahead.add(new Pending(row, captioner.submit(bytes, image, decoding), null));
                } catch (UnreadableImageException e) {
                    ahead.add(new Pending(row, null, e.getMessage()));
                }
            }
        }

        /** The image file at a path of any file system Hadoop knows, within the captioner's file size limit. */
        private byte[] read(String image) throws UnreadableImageException {
            if (image == null) throw new UnreadableImageException("(no image)", "the row names no image");
            try {
                if (hadoop == null) hadoop = new Configuration();
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(image);
                FileSystem fs = path.getFileSystem(hadoop);
                FileStatus status = fs.getFileStatus(path);
                long limit = captioner.options().imageLimits().maxFileBytes();
                if (status.isDirectory()) throw new UnreadableImageException(image, "a folder, not an image");
                if (status.getLen() > limit) throw new UnreadableImageException(image, "the file is " + status.getLen() + " bytes, over the limit of " + limit);
                byte[] bytes = new byte[(int) status.getLen()];
                try (FSDataInputStream in = fs.open(path)) {
                    in.readFully(0, bytes);
                }
                return bytes;
            } catch (FileNotFoundException e) {
                throw new UnreadableImageException(image, "no such file");
            } catch (UnreadableImageException e) {
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                throw new UnreadableImageException(image, "cannot be read (" + e.getMessage() + ")");
            }
        }

        private Row withCaption(Row row, Caption c, String error) {
            int n = row.length();
            Object[] values = new Object[n + (job.alternatives ? 4 : 3)];
            for (int i = 0; i < n; i++) values[i] = row.get(i);
            values[n] = c == null ? null : c.text();
            values[n + 1] = c == null ? null : c.logProb();
            if (job.alternatives) {
                values[n + 2] = c == null ? null : Rows.seq(c.alternatives().stream().map(a -> RowFactory.create(a.text(), a.logProb())).toList());
            }
            values[values.length - 1] = error;
            LongAccumulator counter = c != null ? job.captioned : job.failed;
            if (counter != null) counter.add(1);
            return RowFactory.create(values);
        }
    }

    /** Closes the captioners this JVM opened (a local session's driver is its executor too). */
    public static void closeLocalModels() {
        ExecutorCaptioners.closeAll();
    }

    @Override
    public String toString() {
        return "SparkCaptioner[" + checkpoint + (shipped != null ? " (shipped)" : "") + ", batch " + batch + ", " + (decoding == null ? "the checkpoint's decoding" : decoding) + "]";
    }
}
