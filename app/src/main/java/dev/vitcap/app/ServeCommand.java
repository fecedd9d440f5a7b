package dev.vitcap.app;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.serve.CaptionServer;
import dev.vitcap.serve.Samples;
import dev.vitcap.settings.Range;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/** {@code vitcap serve}: the captioning HTTP API and its web page, until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a checkpoint over HTTP: POST /v1/captions, and a web page at / showing each word's attention.")
final class ServeCommand implements Callable<Integer> {
    static final Path DEMO_CHECKPOINT = Path.of("runs", "demo", "model", "best.json");
    static final Path DEMO_SAMPLES = Path.of("runs", "demo", "world", "images", "test");

    @Mixin
    BackendOption backend;

    @Option(names = "--checkpoint", paramLabel = "FILE.json", description = "The model to serve (default: the demo's, runs/demo/model/best.json).")
    Path checkpoint;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", converter = Ranges.Port.class, description = "Port, 0 to 65535 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--max-batch", defaultValue = "16", converter = Ranges.MaxBatch.class, description = "Most images captioned together, at least 1 (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", converter = Ranges.MaxWaitMillis.class, description = "How long the first waiting image waits for others to batch with, at least 0 (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    /** Upload sizes in MB: an upload is held in one array, which Java caps at 2 GB. */
    static final Range MAX_UPLOAD_MB = Range.aboveUpTo(0, 2047);

    @Option(names = "--max-upload-mb", defaultValue = "10", converter = Ranges.MaxUploadMb.class, description = "Largest upload in MB, in (0, 2047]; larger gets 413 (default: ${DEFAULT-VALUE}).")
    double maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "40000000", converter = Ranges.MaxPixels.class, description = "Most pixels an image may have, judged from its header before decoding, at least 1; more gets 413 (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--queue", defaultValue = "256", converter = Ranges.QueueCapacity.class, description = "Most images waiting for the model, at least 1; more get 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--samples", paramLabel = "DIR", description = "A folder whose first images the page offers as samples (default: the demo world's test images, when the demo's model is served).")
    Path samples;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PathOptions.folder("--samples", samples);
        checkCanListen();
        Path model = checkpoint != null ? checkpoint : DEMO_CHECKPOINT;
        if (checkpoint == null && !Files.exists(DEMO_CHECKPOINT)) {
            throw new IllegalArgumentException("no model to serve: run ./vitcap demo to train the demo's (" + DEMO_CHECKPOINT + "), or pass --checkpoint FILE.json");
        }
        CaptionServer.Settings settings = CaptionServer.Settings.defaults().withHost(host).withPort(port).withMaxUploadBytes((long) (maxUploadMb * (1 << 20)));
        ImageCaptioner.Options options = ImageCaptioner.Options.defaults().withBackend(backend.name).withMaxBatch(maxBatch)
                .withMaxWaitMillis(maxWaitMs).withQueueCapacity(queue).withMaxPixels(maxPixels);
        Path sampleDir = samples != null ? samples : checkpoint == null && Files.isDirectory(DEMO_SAMPLES) ? DEMO_SAMPLES : null;
        List<Samples.Sample> sampleImages = sampleDir == null ? List.of() : Samples.fromFolder(sampleDir, 6, settings.maxUploadBytes());

        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C and SIGTERM end the wait below instead of the JVM, so requests in flight are answered and
        // the command exits 0; a shutdown hook could do the first but not the second.
        for (String signal : new String[]{"INT", "TERM"}) Signal.handle(new Signal(signal), s -> stop.countDown());
        try (ImageCaptioner captioner = ImageCaptioner.open(model, options)) {
            CaptionServer server = CaptionServer.start(captioner, settings, sampleImages);
            System.out.println("vitcap serve: " + model + " on " + captioner.backend() + ", at " + server.uri()
                    + (sampleImages.isEmpty() ? "" : " (" + sampleImages.size() + " sample images)"));
            System.out.println("Ctrl-C to stop");
            System.out.flush();
            stop.await();
            System.out.println("vitcap serve: stopping; answering the " + server.inFlight() + " requests in flight");
            server.drainAndStop(Duration.ofSeconds(30));
        }
        System.out.println("vitcap serve: stopped");
        return 0;
    }

    /**
     * Binds the address once and lets it go, before the model is loaded: a mistyped host or a port in use
     * is then one line saying which, where the web server would report any failure as a port in use.
     */
    private void checkCanListen() throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IOException(host + ": unknown host (--host)");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + " port " + port + ": " + e.getMessage() + " (--host, --port)");
        }
    }
}
