package dev.vitcap.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.ImageFormats;
import dev.vitcap.data.ImageTooLargeException;
import dev.vitcap.data.UnreadableImageException;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoding;
import dev.vitcap.diagram.ArchitectureDiagram;
import dev.vitcap.model.ModelSummary;
import dev.vitcap.settings.Range;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.config.SizeUnit;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP face of an {@link ImageCaptioner}: {@code POST /v1/captions} and the model's description under
 * {@code /v1}, and the web page at {@code /}, on Javalin (Jetty 12). Requests decode their image on
 * Jetty's threads and wait for their caption without holding one (the captioner batches what arrives
 * together); every error is {@code {"error": "..."}} with its status, never a stack trace.
 */
public final class CaptionServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptionServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CAPTION_PARAMETERS = Set.of("beam", "max_words", "alternatives", "attention", "rescore");
    /** The page's files, by the path they are served at, with their media types. */
    private static final Map<String, String> PAGE = Map.of("/", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final Map<String, String> PAGE_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    /** A page file read from the jar. */
    private record PageFile(String mediaType, byte[] bytes) {
    }

    /** Where to listen and how large an upload may be. */
    public record Settings(String host, int port, long maxUploadBytes) {
        /** Ports: 0 for any free one. */
        public static final Range PORT = Range.between(0, 65535);

        public Settings {
            PORT.check("port", port);
            if (maxUploadBytes < 1) throw new IllegalArgumentException("the upload limit must be at least 1 byte, not " + maxUploadBytes);
        }

        /** 127.0.0.1:8080, uploads of up to 10 MB. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 8080, 10L << 20);
        }

        public Settings withHost(String h) {
            return new Settings(h, port, maxUploadBytes);
        }

        /** 0: any free port ({@link CaptionServer#port()} tells which). */
        public Settings withPort(int p) {
            return new Settings(host, p, maxUploadBytes);
        }

        public Settings withMaxUploadBytes(long n) {
            return new Settings(host, port, n);
        }
    }

    private final ImageCaptioner captioner;
    private final Settings settings;
    private final List<Samples.Sample> samples;
    private final String modelName;
    private final String diagram;
    private final byte[] modelJson;
    /** The page, read from the jar once: nothing is ever read for a path a client sends. */
    private final Map<String, PageFile> page;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** How long a stop waits for responses already being written, once no caption is pending. */
    private static final Duration RESPONSE_WRITE_PATIENCE = Duration.ofSeconds(5);
    private volatile boolean draining;
    private final Javalin app;

    private CaptionServer(ImageCaptioner captioner, Settings settings, List<Samples.Sample> samples) throws IOException {
        this.captioner = captioner;
        this.settings = settings;
        this.samples = List.copyOf(samples);
        String file = captioner.checkpoint().getFileName().toString();
        this.modelName = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        this.diagram = ArchitectureDiagram.svg(captioner.config());
        this.modelJson = JSON.writeValueAsBytes(describeModel());
        this.page = readPage();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = settings.maxUploadBytes();
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // A request counts as answered once its response is written, not when its caption is
                // ready: Jetty's graceful stop waits for those writes, which a stop would otherwise cut.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(RESPONSE_WRITE_PATIENCE.toMillis());
            });
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + (64 << 10), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, settings.maxUploadBytes()), SizeUnit.BYTES);
            config.routes.post("/v1/captions", this::caption);
            config.routes.after("/v1/captions", this::dropUnreadBody);
            config.routes.get("/v1/health", this::health);
            config.routes.get("/v1/model", ctx -> json(ctx, modelJson));
            config.routes.get("/v1/model/diagram.svg", ctx -> ctx.contentType("image/svg+xml").result(diagram));
            config.routes.get("/v1/samples", this::listSamples);
            config.routes.get("/v1/samples/{number}", this::sample);
            page.forEach((path, served) -> config.routes.get(path, ctx -> ctx.contentType(served.mediaType()).result(served.bytes())));
            // Javalin's own refusals (404, 405, a body over the limit) are HttpResponseExceptions too.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {}: {}", ctx.method(), ctx.path(), e.toString(), e);
                error(ctx, 500, "internal error: " + oneLine(e));
            });
        });
    }

    /** Starts serving; the captioner stays the caller's to close after {@link #close()}. */
    public static CaptionServer start(ImageCaptioner captioner, Settings settings, List<Samples.Sample> samples) throws IOException {
        CaptionServer server = new CaptionServer(captioner, settings, samples);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Requests being captioned now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops taking new captioning requests (they get 503), waits up to {@code patience} for those in
     * flight to be answered, then stops the server.
     */
    public void drainAndStop(Duration patience) {
        draining = true;
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }

    @Override
    public void close() {
        drainAndStop(Duration.ofSeconds(30));
    }

    // ---- the routes

    private void caption(Context ctx) throws IOException {
        long started = System.nanoTime();
        // Counted from the first byte, so a stop waits for requests still sending their image too.
        inFlight.incrementAndGet();
        boolean answeredLater = false;
        try {
            if (draining) {
                ctx.header("Retry-After", "5");
                error(ctx, 503, "the server is shutting down");
                return;
            }
            DecodeOptions decoding = decoding(ctx);
            CompletableFuture<Caption> pending;
            try {
                pending = captioner.submit(uploadedImage(ctx), "the uploaded image", decoding);
            } catch (ImageCaptioner.Busy e) {
                ctx.header("Retry-After", "1");
                error(ctx, 503, e.getMessage());
                return;
            } catch (ImageTooLargeException e) {
                error(ctx, 413, e.getMessage());
                return;
            } catch (UnreadableImageException e) {
                error(ctx, 400, e.getMessage());
                return;
            }
            ctx.future(() -> pending.handle((caption, failure) -> {
                try {
                    if (failure != null) {
                        Throwable why = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        log.error("captioning failed: {}", why.toString(), why);
                        error(ctx, 500, "captioning failed: " + oneLine(why));
                    } else {
                        ObjectNode out = CaptionJson.write(caption, JSON.createObjectNode());
                        out.put("elapsed_ms", (System.nanoTime() - started) / 1e6);
                        out.put("backend", captioner.backend());
                        json(ctx, out);
                    }
                    return null;
                } finally {
                    inFlight.decrementAndGet();
                }
            }));
            answeredLater = true;
        } finally {
            if (!answeredLater) inFlight.decrementAndGet();
        }
    }

    /**
     * The decoding a request asks for: the server's default with the query's {@code beam}, {@code max_words},
     * {@code alternatives}, {@code attention}, {@code rescore}.
     */
    private DecodeOptions decoding(Context ctx) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!CAPTION_PARAMETERS.contains(name)) throw new HttpResponseException(400, "unknown query parameter '" + name + "' (beam, max_words, alternatives, attention, rescore)");
        }
        DecodeOptions d = captioner.defaultDecoding();
        try {
            String beam = ctx.queryParam("beam");
            if (beam != null) d = d.withBeam(wholeNumber("beam", beam)).withAlternatives(0);
            String maxWords = ctx.queryParam("max_words");
            if (maxWords != null) d = d.withMaxWords(wholeNumber("max_words", maxWords));
            String alternatives = ctx.queryParam("alternatives");
            if (alternatives != null) d = d.withAlternatives(wholeNumber("alternatives", alternatives));
            String attention = ctx.queryParam("attention");
            if (attention != null) d = d.withAttention(switch (attention.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new IllegalArgumentException("attention must be true or false, not '" + attention + "'");
            });
            String rescore = ctx.queryParam("rescore");
            if (rescore != null) d = d.withRescore(number("rescore", rescore));
            String refused = Decoding.refusal(captioner.config(), d, "the served model");
            if (refused != null) throw new IllegalArgumentException(refused);
        } catch (IllegalArgumentException e) {
            throw new HttpResponseException(400, e.getMessage());
        }
        return d;
    }

    private static float number(String name, String value) {
        try {
            return Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }

    private static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /** The image's bytes: the body itself, or a multipart form's field {@code image}; 413 and 415 decided before the body is read. */
    private byte[] uploadedImage(Context ctx) throws IOException {
        if (ctx.contentLength() > settings.maxUploadBytes()) throw tooLarge();
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (ImageFormats.MEDIA_TYPES.contains(type)) return ctx.bodyAsBytes();
        if (type.equals("multipart/form-data")) {
            UploadedFile file;
            try {
                file = ctx.uploadedFile("image");
            } catch (RuntimeException e) {
                // Jetty refuses a part over the size limit, and malformed multipart bodies, by throwing.
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceeds")) throw tooLarge();
                throw new HttpResponseException(400, "malformed multipart body: " + oneLine(e));
            }
            if (file == null) throw new HttpResponseException(400, "the multipart form has no field 'image'");
            if (file.size() > settings.maxUploadBytes()) throw tooLarge();
            try (InputStream in = file.content()) {
                return in.readAllBytes();
            }
        }
        throw new HttpResponseException(415, (type.isEmpty() ? "no Content-Type" : "Content-Type " + type + " is not supported")
                + ": send image/jpeg, image/png, image/gif or image/bmp, or multipart/form-data with a field 'image'");
    }

    private HttpResponseException tooLarge() {
        return new HttpResponseException(413, "the upload is larger than the limit of " + settings.maxUploadBytes() + " bytes");
    }

    /**
     * Reads and drops what a refused request left of its body (an answer given before the body was read:
     * a bad query, a wrong type, too many bytes), up to twice the upload limit. A connection closed with
     * unread bytes is reset, and the client loses the answer; Tomcat's maxSwallowSize does the same. A body
     * larger still is cut off.
     */
    private void dropUnreadBody(Context ctx) {
        try {
            ctx.req().getInputStream().skipNBytes(Math.min(Math.max(ctx.contentLength(), 0), 2 * settings.maxUploadBytes()));
        } catch (IOException | IllegalStateException e) {
            // The body was read already (skipping finds its end), or cannot be: the answer stands either way.
        }
    }

    private void health(Context ctx) {
        ObjectNode out = JSON.createObjectNode().put("status", draining ? "stopping" : "ok").put("backend", captioner.backend()).put("model", modelName);
        ImageCaptioner.Stats s = captioner.stats();
        out.put("queued", captioner.queued()).put("in_flight", inFlight.get()).put("batches", s.batches()).put("images", s.images())
                .put("largest_batch", s.largestBatch());
        long peak = PeakMemory.residentBytes();
        if (peak > 0) out.put("peak_rss_bytes", peak);
        json(ctx, out);
    }

    private ObjectNode describeModel() {
        ModelSummary summary = ModelSummary.of(captioner.config());
        ObjectNode out = JSON.createObjectNode().put("name", modelName);
        out.set("config", JSON.valueToTree(captioner.config()));
        out.putObject("parameters").put("encoder", summary.encoderParams()).put("decoder", summary.decoderParams()).put("total", summary.total());
        ArrayNode layers = out.putArray("layers");
        for (ModelSummary.Layer l : summary.layers()) {
            ObjectNode layer = layers.addObject().put("name", l.name()).put("kind", l.kind()).put("params", l.params());
            ArrayNode shape = layer.putArray("output_shape");
            for (int d : l.outputShape()) shape.add(d);
        }
        out.put("image_size", captioner.imageSize());
        out.putObject("grid").put("rows", captioner.grid()[0]).put("cols", captioner.grid()[1]);
        out.set("decoding", JSON.valueToTree(captioner.defaultDecoding()));
        return out;
    }

    private void listSamples(Context ctx) {
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < samples.size(); i++) out.addObject().put("name", samples.get(i).name()).put("url", "/v1/samples/" + i);
        json(ctx, out);
    }

    private void sample(Context ctx) {
        String number = ctx.pathParam("number");
        int i = number.matches("\\d{1,4}") ? Integer.parseInt(number) : -1;
        if (i < 0 || i >= samples.size()) throw new HttpResponseException(404, "no sample image " + number + " (there are " + samples.size() + ")");
        Samples.Sample s = samples.get(i);
        ctx.contentType(s.mediaType()).header("Cache-Control", "max-age=3600").result(s.bytes());
    }

    private static Map<String, PageFile> readPage() throws IOException {
        Map<String, PageFile> files = new HashMap<>();
        for (Map.Entry<String, String> e : PAGE.entrySet()) {
            String name = e.getValue();
            try (InputStream in = CaptionServer.class.getResourceAsStream("/vitcap-web/" + name)) {
                if (in == null) throw new IOException("the page's " + name + " is missing from the jar");
                files.put(e.getKey(), new PageFile(PAGE_TYPES.get(name.substring(name.lastIndexOf('.') + 1)), in.readAllBytes()));
            }
        }
        return Map.copyOf(files);
    }

    // ---- errors

    private static void error(Context ctx, int status, String message) {
        json(ctx.status(status), JSON.createObjectNode().put("error", message));
    }

    private static void json(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(body.toString());
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType("application/json").result(body);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().lines().findFirst().orElse(m);
    }
}
