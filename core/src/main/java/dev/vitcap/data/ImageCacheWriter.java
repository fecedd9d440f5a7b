package dev.vitcap.data;

import dev.vitcap.io.AtomicFiles;
import dev.vitcap.settings.Range;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and scales every image of a dataset once into a cache directory (see {@link CacheFiles})
 * so that training reads no image files. Resumable: the rows written so far are recorded in
 * {@code progress.json} about once a second, after the pixels themselves are forced to disk, so a
 * run that is stopped or killed continues where it stopped and never redoes a recorded row.
 * Unreadable images are reported once, when met, and their rows marked absent. A writer does one run.
 */
public final class ImageCacheWriter {
    /** What a run tells its caller as it goes; called from worker threads except {@link #progress}. */
    public interface Listener {
        /** Called once before any image is decoded; {@code alreadyDone} rows were finished by an earlier run. */
        default void started(int alreadyDone, int total) {
        }

        void skipped(Path image, String reason);

        default void progress(int finished, int total, int skipped) {
        }

        /** A row was decoded (or found unreadable) in this run. */
        default void rowFinished(int row) {
        }
    }

    /**
     * How a run ended: {@code reused} rows were done by an earlier run; {@code complete} is false
     * when the run was stopped before every row was done.
     */
    public record Summary(int rows, int ok, int skipped, int reused, boolean complete) {
    }

    private static final long SAVE_EVERY_MS = 1000;

    /** Decoding threads. */
    public static final Range THREADS = Range.atLeast(1);

    private final Path dir;
    private final CaptionDataset data;
    private final ImagePreprocessor preprocessor;
    private final int threads;
    private final Listener listener;
    private final String fingerprint;
    private final int rowBytes;
    private volatile boolean stopRequested;

    private final BitSet done = new BitSet();
    private final Map<Integer, String> failed = new TreeMap<>();

    public ImageCacheWriter(Path dir, CaptionDataset data, int size, int threads, Listener listener) {
        THREADS.check("threads", threads);
        this.dir = dir;
        this.data = data;
        this.preprocessor = new ImagePreprocessor(size);
        this.threads = threads;
        this.listener = listener;
        this.fingerprint = CacheFiles.fingerprint(data, size);
        this.rowBytes = preprocessor.imageBytes();
    }

    /** Asks a run to finish the images in hand, record its progress and return; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    public Summary run() throws IOException {
        Files.createDirectories(dir);
        if (CacheFiles.exists(dir, CacheFiles.INDEX)) return refreshFinished();
        boolean resuming = CacheFiles.exists(dir, CacheFiles.PROGRESS);
        if (resuming) loadProgress();
        int reused = done.cardinality() + failed.size();
        listener.started(reused, data.size());
        try (FileChannel pixels = openPixels(resuming)) {
            Throwable failure = decodeRemaining(pixels);
            saveProgress(pixels);
            if (failure instanceof IOException e) throw e;
            if (failure instanceof RuntimeException e) throw e;
            if (failure != null) throw (Error) failure;
        } catch (IOException e) {
            throw AtomicFiles.naming(dir.resolve(CacheFiles.PIXELS), e);
        }
        int finished = done.cardinality() + failed.size();
        if (finished < data.size()) return new Summary(data.size(), done.cardinality(), failed.size(), reused, false);
        CacheFiles.write(dir.resolve(CacheFiles.INDEX), index());
        Files.deleteIfExists(dir.resolve(CacheFiles.PROGRESS));
        return new Summary(data.size(), done.cardinality(), failed.size(), reused, true);
    }

    /** A finished cache of the same images: only the index is rewritten, for captions or splits that changed. */
    private Summary refreshFinished() throws IOException {
        Path file = dir.resolve(CacheFiles.INDEX);
        CacheFiles.Index old = CacheFiles.readIndex(file);
        requireSame(file, old.size(), old.rows(), old.fingerprint());
        for (int row = 0; row < old.rows(); row++) {
            CacheFiles.Row r = old.items().get(row);
            if (r.present()) done.set(row);
            else failed.put(row, r.error());
        }
        CacheFiles.write(file, index());
        Files.deleteIfExists(dir.resolve(CacheFiles.PROGRESS));
        return new Summary(data.size(), done.cardinality(), failed.size(), data.size(), true);
    }

    private void loadProgress() throws DatasetException {
        Path file = dir.resolve(CacheFiles.PROGRESS);
        CacheFiles.Progress progress = CacheFiles.read(file, CacheFiles.Progress.class, CacheFiles.PROGRESS_FORMAT);
        requireSame(file, progress.size(), progress.rows(), progress.fingerprint());
        try {
            done.or(BitSet.valueOf(Base64.getDecoder().decode(JsonFiles.require(file, "top level", progress.done(), "done"))));
        } catch (IllegalArgumentException e) {
            throw DatasetException.at(file, "done", "not base64: " + e.getMessage());
        }
        failed.putAll(JsonFiles.require(file, "top level", progress.failed(), "failed"));
    }

    private void requireSame(Path file, int size, int rows, String otherFingerprint) throws DatasetException {
        if (size != preprocessor.size() || rows != data.size() || !fingerprint.equals(otherFingerprint)) {
            throw new DatasetException(file + ": this cache holds " + rows + " images at size " + size + ", not the "
                    + data.size() + " images at size " + preprocessor.size() + " asked for; use another --out or delete " + dir);
        }
    }

    private FileChannel openPixels(boolean resuming) throws IOException {
        Path file = dir.resolve(CacheFiles.PIXELS);
        long length = (long) rowBytes * data.size();
        if (resuming) {
            if (!Files.isRegularFile(file) || Files.size(file) != length) {
                throw new DatasetException(file + ": missing or not " + length + " bytes long, so the recorded progress cannot be trusted; delete " + dir);
            }
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        // Sized up front (sparse where the file system allows) so rows can be written in any order.
        if (length > 0) channel.write(ByteBuffer.allocate(1), length - 1);
        return channel;
    }

    /**
     * Decodes the rows not yet done on {@code threads} threads, saving progress about once a second.
     * Returns what stopped a worker, if anything did: a write error, or one the reader has no words for
     * (running out of memory); the rows already written are kept either way.
     */
    private Throwable decodeRemaining(FileChannel pixels) throws IOException {
        List<Integer> pending = new ArrayList<>();
        for (int row = 0; row < data.size(); row++) {
            if (!done.get(row) && !failed.containsKey(row)) pending.add(row);
        }
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vitcap-prepare");
            t.setDaemon(true);
            return t;
        });
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                byte[] pixelsOfRow = new byte[rowBytes];
                for (int k = next.getAndIncrement(); k < pending.size() && !stopRequested; k = next.getAndIncrement()) {
                    try {
                        decodeRow(pending.get(k), pixelsOfRow, pixels);
                    } catch (IOException | RuntimeException | Error e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                        stopRequested = true;
                    }
                }
            });
        }
        pool.shutdown();
        // The workers always run to the end of the row in hand, even when this thread is interrupted,
        // so the channel is never closed under them and the journal saved after this matches the file.
        boolean interrupted = false;
        long lastSave = System.currentTimeMillis();
        while (true) {
            try {
                if (pool.awaitTermination(200, TimeUnit.MILLISECONDS)) break;
            } catch (InterruptedException e) {
                interrupted = true;
                stopRequested = true;
            }
            if (System.currentTimeMillis() - lastSave >= SAVE_EVERY_MS) {
                saveProgress(pixels);
                lastSave = System.currentTimeMillis();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return failures.isEmpty() ? null : failures.get(0);
    }

    private void decodeRow(int row, byte[] buffer, FileChannel pixels) throws IOException {
        CaptionDataset.Item item = data.items().get(row);
        try {
            preprocessor.chw8(item.image(), buffer, 0);
        } catch (UnreadableImageException e) {
            synchronized (this) {
                failed.put(row, e.reason());
            }
            listener.skipped(item.image(), e.reason());
            listener.rowFinished(row);
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer);
        long at = (long) row * rowBytes;
        while (bytes.hasRemaining()) at += pixels.write(bytes, at);
        synchronized (this) {
            done.set(row);
        }
        listener.rowFinished(row);
    }

    /** Records the rows finished so far; the pixels are forced to disk first, so the journal never claims a row that is not there. */
    private void saveProgress(FileChannel pixels) throws IOException {
        CacheFiles.Progress progress;
        int finished;
        synchronized (this) {
            progress = new CacheFiles.Progress(CacheFiles.PROGRESS_FORMAT, CacheFiles.VERSION, preprocessor.size(), data.size(),
                    fingerprint, Base64.getEncoder().encodeToString(done.toByteArray()), new TreeMap<>(failed));
            finished = done.cardinality() + failed.size();
        }
        pixels.force(false);
        CacheFiles.write(dir.resolve(CacheFiles.PROGRESS), progress);
        listener.progress(finished, data.size(), progress.failed().size());
    }

    private synchronized CacheFiles.Index index() {
        List<CacheFiles.Row> rows = new ArrayList<>(data.size());
        for (int row = 0; row < data.size(); row++) {
            CaptionDataset.Item item = data.items().get(row);
            rows.add(new CacheFiles.Row(item.imageId(), item.image().toString(), item.split(), item.captions(), done.get(row), failed.get(row)));
        }
        return new CacheFiles.Index(CacheFiles.INDEX_FORMAT, CacheFiles.VERSION, preprocessor.size(), data.size(), fingerprint,
                done.cardinality(), failed.size(), rows);
    }
}
