package dev.vitcap.caption;

import dev.vitcap.data.ImageLimits;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.PixelNormalizer;
import dev.vitcap.data.UnreadableImageException;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoded;
import dev.vitcap.decode.Decoding;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.settings.Range;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A checkpoint opened for captioning: image in, {@link Caption} out.
 * <pre>{@code
 * try (ImageCaptioner captioner = ImageCaptioner.open(Path.of("runs/demo/model/best.json"))) {
 *     System.out.println(captioner.caption(Path.of("photo.jpg")).text());
 * }
 * }</pre>
 * The checkpoint describes itself (weights, vocabulary, image preprocessing, default decoding), so
 * nothing else is needed. One open instance serves any number of threads: every call is queued, and a
 * single model thread gathers the calls waiting together (up to {@link Options#maxBatch()} images, waiting
 * at most {@link Options#maxWaitMillis()} for more after the first) into one batch per decoding choice.
 * Each image's caption is the one a call on that image alone returns. Images are decoded and scaled on
 * the calling thread, so callers decode in parallel while the model runs.
 */
public final class ImageCaptioner implements AutoCloseable {

    /**
     * How a captioner runs: the backend ({@code null}: the fastest usable, as {@link Backends#select}),
     * the decoding used when a call names none ({@code null}: the checkpoint's, else greedy), the largest
     * batch, how long the first queued image waits for others, how many images may wait at once (more
     * are refused with {@link Busy}), and what an image may cost ({@link ImageLimits}).
     */
    public record Options(String backend, DecodeOptions decoding, int maxBatch, long maxWaitMillis, int queueCapacity, ImageLimits imageLimits) {
        /** The allowed values of each setting, which the command line's options are checked against too. */
        public static final Range MAX_BATCH = Range.atLeast(1), MAX_WAIT_MILLIS = Range.atLeast(0), QUEUE_CAPACITY = Range.atLeast(1);

        public Options {
            MAX_BATCH.check("max batch", maxBatch);
            MAX_WAIT_MILLIS.check("max wait (ms)", maxWaitMillis);
            QUEUE_CAPACITY.check("queue capacity", queueCapacity);
            Objects.requireNonNull(imageLimits, "imageLimits");
        }

        /**
         * The fastest usable backend, the checkpoint's decoding, batches of up to 16 gathered for at most
         * 5 ms, 1024 waiting, images within {@link ImageLimits#defaults()}.
         */
        public static Options defaults() {
            return new Options(null, null, 16, 5, 1024, ImageLimits.defaults());
        }

        public Options withBackend(String name) {
            return new Options(name, decoding, maxBatch, maxWaitMillis, queueCapacity, imageLimits);
        }

        public Options withDecoding(DecodeOptions d) {
            return new Options(backend, d, maxBatch, maxWaitMillis, queueCapacity, imageLimits);
        }

        public Options withMaxBatch(int n) {
            return new Options(backend, decoding, n, maxWaitMillis, queueCapacity, imageLimits);
        }

        public Options withMaxWaitMillis(long ms) {
            return new Options(backend, decoding, maxBatch, ms, queueCapacity, imageLimits);
        }

        public Options withQueueCapacity(int n) {
            return new Options(backend, decoding, maxBatch, maxWaitMillis, n, imageLimits);
        }

        /** Images over these limits are refused ({@link dev.vitcap.data.ImageTooLargeException}) before decoding. */
        public Options withImageLimits(ImageLimits limits) {
            return new Options(backend, decoding, maxBatch, maxWaitMillis, queueCapacity, limits);
        }

        /** Images whose header claims more pixels are refused ({@link dev.vitcap.data.ImageTooLargeException}) before decoding. */
        public Options withMaxPixels(long n) {
            return withImageLimits(imageLimits.withMaxPixels(n));
        }
    }

    /** Thrown when {@link Options#queueCapacity()} images are already waiting: try again later. */
    public static final class Busy extends RejectedExecutionException {
        Busy(int capacity) {
            super("the captioner is busy: " + capacity + " images are already waiting");
        }
    }

    /** What the model thread has done so far: batches run, images captioned, the largest batch. */
    public record Stats(long batches, long images, long largestBatch) {
    }

    private record Request(float[] pixels, DecodeOptions decoding, CompletableFuture<Caption> result) {
    }

    private final Path checkpoint;
    private final Options options;
    private final ModelConfig config;
    private final Vocabulary vocabulary;
    private final DecodeOptions defaultDecoding;
    private final ImagePreprocessor preprocessor;
    private final PixelNormalizer normalizer;
    private final BlockingQueue<Request> queue;
    private final Thread worker;
    private final CompletableFuture<String> started = new CompletableFuture<>();
    private final AtomicLong batches = new AtomicLong(), images = new AtomicLong(), largest = new AtomicLong();
    private volatile boolean closed;

    public static ImageCaptioner open(Path checkpoint) throws IOException {
        return open(checkpoint, Options.defaults());
    }

    /** Opens a checkpoint on a backend; one line of a malformed or inconsistent checkpoint, or of an unusable backend, is thrown. */
    public static ImageCaptioner open(Path checkpoint, Options options) throws IOException {
        Checkpoint c = Checkpoint.load(checkpoint);
        if (c.vocabulary() == null) throw new FileFormatException(checkpoint + ": the checkpoint has no vocabulary, so its captions cannot be read");
        VitConfig vit = c.model().encoder();
        if (vit.imageHeight() != vit.imageWidth() || vit.channels() != 3) {
            throw new FileFormatException(checkpoint + ": captioning needs square RGB input, the encoder takes " + vit.channels() + "x" + vit.imageHeight() + "x" + vit.imageWidth());
        }
        ImageCaptioner captioner = new ImageCaptioner(checkpoint, options, c);
        try {
            captioner.started.get();
        } catch (ExecutionException e) {
            captioner.close();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            captioner.close();
            Thread.currentThread().interrupt();
            throw new IOException(checkpoint + ": interrupted while opening");
        }
        return captioner;
    }

    private ImageCaptioner(Path checkpoint, Options options, Checkpoint c) {
        this.checkpoint = checkpoint;
        this.options = options;
        this.config = c.model();
        this.vocabulary = c.vocabulary();
        this.defaultDecoding = options.decoding() != null ? options.decoding() : c.decoding() != null ? c.decoding() : DecodeOptions.GREEDY;
        this.preprocessor = new ImagePreprocessor(config.encoder().imageHeight(), options.imageLimits());
        this.normalizer = new PixelNormalizer(config.encoder().mean(), config.encoder().std());
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        // The model lives on its own thread: a backend's context (a CUDA context, say) belongs to the thread that made it.
        this.worker = new Thread(() -> serve(c), "vitcap-captioner");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    // ---- the public calls

    public Caption caption(BufferedImage image) {
        return caption(image, defaultDecoding);
    }

    public Caption caption(BufferedImage image, DecodeOptions decoding) {
        return await(submit(pixels(image), decoding));
    }

    /** Reads, turns upright (EXIF) and captions an image file; an unreadable file is one line naming it. */
    public Caption caption(Path file) throws UnreadableImageException {
        return caption(file, defaultDecoding);
    }

    public Caption caption(Path file, DecodeOptions decoding) throws UnreadableImageException {
        return await(submit(pixels(file), decoding));
    }

    public List<Caption> captionAll(List<BufferedImage> images) {
        return captionAll(images, defaultDecoding);
    }

    /** Captions a list of images, queued together so they share batches; the captions in the list's order. */
    public List<Caption> captionAll(List<BufferedImage> images, DecodeOptions decoding) {
        List<CompletableFuture<Caption>> pending = new ArrayList<>(images.size());
        for (BufferedImage image : images) pending.add(submit(pixels(image), decoding));
        List<Caption> out = new ArrayList<>(images.size());
        for (CompletableFuture<Caption> f : pending) out.add(await(f));
        return out;
    }

    /** A file's caption, or why the file could not be read (one line naming it). */
    public record FileCaption(Path file, Caption caption, String error) {
        public boolean ok() {
            return caption != null;
        }
    }

    /**
     * Captions many files: they are read and scaled on one thread per core while the model thread
     * captions those already read, in full batches. An unreadable file gets its error and the rest go on.
     * The results are in the files' order.
     */
    public List<FileCaption> captionFiles(List<Path> files, DecodeOptions decoding) {
        checkDecoding(decoding != null ? decoding : defaultDecoding);
        int readers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), files.size()));
        // Readers stay at most two batches ahead of the model (and never fill the queue): memory stays bounded.
        Semaphore ahead = new Semaphore(Math.max(1, Math.min(2 * options.maxBatch(), options.queueCapacity())));
        ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
            Thread t = new Thread(r, "vitcap-image-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CompletableFuture<Caption>>> read = new ArrayList<>(files.size());
            for (Path file : files) {
                read.add(pool.submit(() -> {
                    ahead.acquire();
                    try {
                        CompletableFuture<Caption> f = submit(pixels(file), decoding);
                        f.whenComplete((c, e) -> ahead.release());
                        return f;
                    } catch (UnreadableImageException | RuntimeException e) {
                        ahead.release();
                        throw e;
                    }
                }));
            }
            List<FileCaption> out = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                try {
                    out.add(new FileCaption(file, await(read.get(i).get()), null));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnreadableImageException u)) throw new IllegalStateException(file + ": " + e.getCause().getMessage(), e.getCause());
                    out.add(new FileCaption(file, null, u.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while captioning " + file);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Queues one image for captioning; the future completes when its batch has run. */
    public CompletableFuture<Caption> submit(BufferedImage image, DecodeOptions decoding) {
        return submit(pixels(image), decoding);
    }

    /**
     * Decodes an encoded image (JPEG, PNG, BMP, GIF bytes, as uploaded) on the calling thread and queues it;
     * {@code source} names it in the error when it cannot be read or is over the pixel budget.
     */
    public CompletableFuture<Caption> submit(byte[] encoded, String source, DecodeOptions decoding) throws UnreadableImageException {
        return submit(normalised(preprocessor.chw8(encoded, source)), decoding);
    }

    // ---- what it is

    public ModelConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public DecodeOptions defaultDecoding() {
        return defaultDecoding;
    }

    public Options options() {
        return options;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    /** The backend the model runs on. */
    public String backend() {
        return started.getNow("?");
    }

    /** The image side the model reads; every image is scaled (shorter side) and centre-cropped to it. */
    public int imageSize() {
        return preprocessor.size();
    }

    /** The patch grid attention is given over: rows and columns. */
    public int[] grid() {
        VitConfig vit = config.encoder();
        return new int[]{vit.imageHeight() / vit.patch(), vit.imageWidth() / vit.patch()};
    }

    public Stats stats() {
        return new Stats(batches.get(), images.get(), largest.get());
    }

    /** Images waiting for the model thread now. */
    public int queued() {
        return queue.size();
    }

    // ---- the calling side

    private float[] pixels(BufferedImage image) {
        return normalised(preprocessor.chw8(image));
    }

    private float[] pixels(Path file) throws UnreadableImageException {
        return normalised(preprocessor.chw8(file));
    }

    private float[] normalised(byte[] chw) {
        int plane = preprocessor.size() * preprocessor.size();
        float[] x = new float[3 * plane];
        normalizer.apply(chw, 0, x, 0, plane);
        return x;
    }

    /** Refuses, in one line naming the checkpoint, a decoding this model cannot do (rescoring without both directions' decoders). */
    public void checkDecoding(DecodeOptions decoding) {
        String refused = Decoding.refusal(config, decoding, checkpoint.toString());
        if (refused != null) throw new IllegalArgumentException(refused);
    }

    private CompletableFuture<Caption> submit(float[] pixels, DecodeOptions decoding) {
        if (closed) throw new IllegalStateException("the captioner is closed");
        DecodeOptions d = decoding != null ? decoding : defaultDecoding;
        checkDecoding(d);
        CompletableFuture<Caption> f = new CompletableFuture<>();
        if (!queue.offer(new Request(pixels, d, f))) throw new Busy(options.queueCapacity());
        if (closed) fail(List.of(), new IllegalStateException("the captioner is closed")); // a close that raced this offer
        return f;
    }

    private static Caption await(CompletableFuture<Caption> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new CancellationException("interrupted while waiting for a caption");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new UncheckedIOException(new IOException(cause.getMessage(), cause));
        }
    }

    // ---- the model thread

    private void serve(Checkpoint c) {
        Backends.Selection selection;
        Kernels k;
        Captioner model;
        try {
            selection = Backends.select(options.backend());
            k = selection.kernels();
            model = Captioner.toRestore(k, c.model());
            try {
                c.restore(model, null);
            } catch (FileFormatException e) {
                model.close();
                k.close();
                throw new FileFormatException(checkpoint + ": " + e.getMessage());
            }
        } catch (Throwable e) {
            started.completeExceptionally(e);
            return;
        }
        started.complete(selection.chosen().name());
        try {
            List<Request> batch = new ArrayList<>();
            while (!closed) {
                batch.clear();
                if (!gather(batch)) continue;
                for (List<Request> group : byDecoding(batch)) run(model, k, group);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            List<Request> left = new ArrayList<>();
            queue.drainTo(left);
            fail(left, new IllegalStateException("the captioner was closed"));
            model.close();
            k.close();
        }
    }

    /** Waits for a first image, then up to the maximum wait for more, up to the maximum batch. */
    private boolean gather(List<Request> batch) throws InterruptedException {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) return false;
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxWaitMillis());
        while (batch.size() < options.maxBatch()) {
            queue.drainTo(batch, options.maxBatch() - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= options.maxBatch() || left <= 0) break;
            Request next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) break;
            batch.add(next);
        }
        return true;
    }

    private static List<List<Request>> byDecoding(List<Request> batch) {
        Map<DecodeOptions, List<Request>> groups = new LinkedHashMap<>();
        for (Request r : batch) if (!r.result().isDone()) groups.computeIfAbsent(r.decoding(), d -> new ArrayList<>()).add(r);
        return new ArrayList<>(groups.values());
    }

    private void run(Captioner model, Kernels k, List<Request> group) {
        if (group.isEmpty()) return;
        int n = group.size(), values = group.get(0).pixels().length, side = preprocessor.size();
        DecodeOptions decoding = group.get(0).decoding();
        try {
            float[] x = new float[n * values];
            for (int i = 0; i < n; i++) System.arraycopy(group.get(i).pixels(), 0, x, i * values, values);
            Decoded[] decoded;
            float[][][] attention = null;
            try (Tensor img = k.upload(x, n, 3, side, side)) {
                decoded = Decoding.run(model, img, n, decoding, Vocabulary.START, Vocabulary.END);
                if (decoding.attention()) {
                    int[][] words = new int[n][];
                    for (int i = 0; i < n; i++) words[i] = decoded[i].words();
                    attention = Decoding.attention(model, img, words, Vocabulary.START, Vocabulary.END);
                }
            }
            batches.incrementAndGet();
            images.addAndGet(n);
            largest.accumulateAndGet(n, Math::max);
            for (int i = 0; i < n; i++) group.get(i).result().complete(caption(decoded[i], attention == null ? null : attention[i]));
        } catch (RuntimeException | Error e) {
            fail(group, e);
        }
    }

    private Caption caption(Decoded d, float[][] tokenAttention) {
        int[] grid = grid();
        float[][] onGrid = null;
        if (tokenAttention != null) {
            int first = config.encoder().classToken() ? 1 : 0, cells = grid[0] * grid[1];
            onGrid = new float[d.words().length][cells];
            for (int w = 0; w < d.words().length; w++) System.arraycopy(tokenAttention[w], first, onGrid[w], 0, cells);
        }
        List<Caption> alternatives = d.alternatives().stream().map(a -> caption(a, null)).toList();
        List<String> words = new ArrayList<>(d.words().length);
        for (int id : d.words()) words.add(vocabulary.word(id));
        return new Caption(vocabulary.decode(d.words()), List.copyOf(words), d.logProbs(), d.logProb(), d.score(), d.ended(), alternatives,
                onGrid, grid[0], grid[1]);
    }

    private void fail(List<Request> requests, Throwable e) {
        for (Request r : requests) r.result().completeExceptionally(e);
        if (closed) {
            List<Request> left = new ArrayList<>();
            queue.drainTo(left);
            for (Request r : left) r.result().completeExceptionally(e);
        }
    }

    /** Stops the model thread once the batch it is running is done; images still waiting get an error. */
    @Override
    public void close() {
        closed = true;
        // Wakes the model thread from its wait for images; a batch it is running finishes first, as
        // nothing in a batch waits on anything an interrupt would cut short.
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
