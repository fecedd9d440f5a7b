package dev.vitcap.app;

import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.DatasetFormat;
import dev.vitcap.data.ImageCacheWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vitcap prepare}: decodes and scales a dataset's images once into a cache that training reads. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Decode and scale every image of a dataset once into a memory-mapped cache for training.",
                "Reads COCO captions JSON, Karpathy split JSON, Flickr8k token files, CSV (image,caption) and JSON Lines.",
                "An interrupted run continues where it stopped when run again with the same arguments."})
public final class PrepareCommand implements Callable<Integer> {
    /** How often a progress line is printed; the journal is saved more often than this. */
    private static final long PRINT_EVERY_MS = 10_000;
    /** How long Ctrl-C waits for the images in hand to be written and the progress recorded. */
    private static final long STOP_WAIT_S = 30;

    @Spec
    private CommandSpec spec;

    @Option(names = "--annotations", required = true, paramLabel = "FILE", description = "The captions file; its format is detected.")
    private Path annotations;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder the annotation file's image names are relative to.")
    private Path images;

    @Option(names = "--out", required = true, paramLabel = "CACHE_DIR", description = "Where the cache is written (or resumed).")
    private Path out;

    @Option(names = "--size", required = true, paramLabel = "S", converter = Ranges.ImageSize.class,
            description = "Side of the square images, in pixels (the encoder's input size): 1 to 1024, the largest input of timm's ViTs.")
    private int size;

    @Option(names = "--split", paramLabel = "SPLIT", description = "Only this split (train, val, test); default all, each row marked with its split.")
    private String split;

    @Option(names = "--threads", paramLabel = "N", converter = Ranges.Threads.class, description = "Decoding threads, at least 1 (default: ${DEFAULT-VALUE}).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            PathOptions.folder("--images", images);
            PathOptions.folderToWrite("--out", out);
            DatasetFormat format = DatasetFormat.detect(annotations);
            CaptionDataset all = format.read(annotations, images);
            stdout.printf("%s: %s, %d images, %d captions, splits %s%n", annotations, format.description(), all.size(), all.captionCount(), all.splits());
            all.emptyCaptions().forEach(e -> stderr.println("dropped " + e));
            CaptionDataset data = split == null ? all : all.split(split);
            if (data.size() == 0) throw new IOException(annotations + ": no images in split '" + split + "' (splits: " + all.splits() + ")");
            return prepare(data, stdout, stderr);
        } catch (IOException e) {
            stderr.println("vitcap prepare: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /**
     * Runs the writer and prints its summary; Ctrl-C asks it to stop, and waits while it records its
     * progress (so the next run resumes) and says so.
     */
    private int prepare(CaptionDataset data, PrintWriter stdout, PrintWriter stderr) throws IOException {
        ImageCacheWriter writer = new ImageCacheWriter(out, data, size, threads, new ProgressPrinter(stdout, stderr));
        try (StopOnSignal stop = new StopOnSignal(writer::stop, STOP_WAIT_S)) {
            try {
                ImageCacheWriter.Summary summary = writer.run();
                if (!summary.complete()) {
                    stderr.printf("stopped after %d of %d images; run the same command again to continue%n", summary.ok() + summary.skipped(), summary.rows());
                    return 1;
                }
                stdout.printf("%s: %d ok, %d skipped (%d done by an earlier run), %d×%d pixels%n", out, summary.ok(), summary.skipped(), summary.reused(), size, size);
                return 0;
            } finally {
                // Before the signal hook is released: once it is, the JVM may exit at once.
                stdout.flush();
                stderr.flush();
            }
        }
    }

    private static final class ProgressPrinter implements ImageCacheWriter.Listener {
        private final PrintWriter stdout;
        private final PrintWriter stderr;
        private final long start = System.currentTimeMillis();
        private long lastPrint = start;
        private int alreadyDone;

        ProgressPrinter(PrintWriter stdout, PrintWriter stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public void started(int alreadyDone, int total) {
            this.alreadyDone = alreadyDone;
            if (alreadyDone > 0) stdout.printf("resuming: %d of %d images done by an earlier run%n", alreadyDone, total);
        }

        @Override
        public void skipped(Path image, String reason) {
            stderr.println("skipped " + image + ": " + reason);
            stderr.flush();
        }

        @Override
        public void progress(int finished, int total, int skipped) {
            long now = System.currentTimeMillis();
            if (now - lastPrint < PRINT_EVERY_MS && finished < total) return;
            lastPrint = now;
            double perSecond = (finished - alreadyDone) * 1000.0 / Math.max(1, now - start);
            String left = perSecond > 0 && finished < total ? String.format(", about %d min left", Math.round((total - finished) / perSecond / 60)) : "";
            stdout.printf("prepare: %d/%d images (%.1f%%), %.0f images/s, %d skipped%s%n",
                    finished, total, 100.0 * finished / total, perSecond, skipped, left);
            stdout.flush();
        }
    }
}
