package dev.vitcap.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.caption.Caption;
import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.TestImages;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.model.ModelSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vitcap serve}'s HTTP API over a real socket: the captions, every error status, and what it refuses to do. */
class CaptionServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_UPLOAD = 256 << 10;
    @TempDir
    static Path dir;
    static ImageCaptioner captioner;
    static CaptionServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static byte[] png;

    @BeforeAll
    static void serve() throws IOException {
        Path checkpoint = ServedModel.checkpoint(dir);
        Path samples = Files.createDirectories(dir.resolve("samples"));
        Files.write(samples.resolve("a.png"), ServedModel.picture(1, "png"));
        Files.write(samples.resolve("b.jpg"), ServedModel.picture(2, "jpeg"));
        Files.writeString(samples.resolve("c.png"), "not an image");
        captioner = ServedModel.open(checkpoint, 64);
        server = CaptionServer.start(captioner, CaptionServer.Settings.defaults().withPort(0).withMaxUploadBytes(MAX_UPLOAD),
                Samples.fromFolder(samples, 6, MAX_UPLOAD));
        png = ServedModel.picture(7, "png");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (captioner != null) captioner.close();
    }

    static HttpResponse<String> post(String query, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri().resolve("/v1/captions" + query)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) r.header("Content-Type", contentType);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An error answer: the status, and a JSON object with one line in "error" and nothing else, no stack trace. */
    static String error(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(List.of("error"), toList(body.fieldNames()), r.body());
        String message = body.get("error").asText();
        assertFalse(message.isBlank() || message.contains("\n") || message.contains("\tat ") || message.contains("Exception"), message);
        return message;
    }

    static <T> List<T> toList(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void anImageGetsTheCaptionTheJavaApiGivesIt() throws Exception {
        HttpResponse<String> r = post("?attention=true", "image/png", png);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        Caption direct = captioner.caption(ImageIO.read(new ByteArrayInputStream(png)), DecodeOptions.GREEDY.withAttention(true));
        assertEquals(direct.text(), body.get("caption").asText());
        assertEquals(direct.words(), toList(body.get("words").elements()).stream().map(JsonNode::asText).toList());
        assertEquals(direct.logProb(), body.get("log_prob").asDouble(), 1e-4);
        assertTrue(body.get("elapsed_ms").asDouble() > 0);
        assertEquals("cpu", body.get("backend").asText());
        assertEquals(8, body.get("grid").get("rows").asInt());
        assertEquals(8, body.get("grid").get("cols").asInt());
        assertEquals(direct.words().size(), body.get("attention").size());
        for (int w = 0; w < direct.words().size(); w++) {
            JsonNode weights = body.get("attention").get(w);
            assertEquals(64, weights.size());
            for (int p = 0; p < 64; p++) assertEquals(direct.attention()[w][p], weights.get(p).floatValue(), 1e-6f);
        }
        assertEquals(0, body.get("alternatives").size());
        assertFalse(JSON.readTree(post("", "image/png", png).body()).has("attention"), "attention only when asked for");
    }

    @Test
    void aMultipartFormGivesTheSameCaptionAsTheBareBody() throws Exception {
        String boundary = "vitcapBoundary42";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.write(png);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = post("", "multipart/form-data; boundary=" + boundary, form.toByteArray());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree(post("", "image/png", png).body()).get("caption"), JSON.readTree(r.body()).get("caption"));

        String noImage = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        assertEquals("the multipart form has no field 'image'",
                error(post("", "multipart/form-data; boundary=" + boundary, noImage.getBytes(StandardCharsets.US_ASCII)), 400));
    }

    @Test
    void beamSearchReturnsItsAlternativesWithScores() throws Exception {
        JsonNode body = JSON.readTree(post("?beam=4&alternatives=2&max_words=6", "image/png", png).body());
        Caption direct = captioner.caption(ImageIO.read(new ByteArrayInputStream(png)), DecodeOptions.beam(4).withAlternatives(2).withMaxWords(6));
        assertEquals(direct.text(), body.get("caption").asText());
        assertTrue(body.get("words").size() <= 6);
        assertEquals(direct.alternatives().size(), body.get("alternatives").size());
        for (int i = 0; i < direct.alternatives().size(); i++) {
            assertEquals(direct.alternatives().get(i).text(), body.get("alternatives").get(i).get("caption").asText());
            assertEquals(direct.alternatives().get(i).score(), body.get("alternatives").get(i).get("score").asDouble(), 1e-4);
        }
    }

    @Test
    void badRequestsAre400WithTheReason() throws Exception {
        assertTrue(error(post("", "image/png", "this is not an image".getBytes()), 400).startsWith("the uploaded image: not an image format"));
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertTrue(error(post("", "image/png", cut), 400).startsWith("the uploaded image: "));
        assertEquals("the uploaded image: empty (0 bytes)", error(post("", "image/png", new byte[0]), 400));
        assertEquals("beam must be a whole number, not 'wide'", error(post("?beam=wide", "image/png", png), 400));
        assertTrue(error(post("?beam=0", "image/png", png), 400).startsWith("beam width must be between 1 and"));
        assertTrue(error(post("?alternatives=3", "image/png", png), 400).startsWith("alternatives must be between 0 and"));
        assertEquals("attention must be true or false, not 'maybe'", error(post("?attention=maybe", "image/png", png), 400));
        assertEquals("unknown query parameter 'bem' (beam, max_words, alternatives, attention, rescore)", error(post("?bem=3", "image/png", png), 400));
        assertEquals("rescore must be a number, not 'some'", error(post("?rescore=some", "image/png", png), 400));
        assertTrue(error(post("?rescore=2", "image/png", png), 400).startsWith("rescore weight must be between 0 and 1"));
        assertEquals("--rescore needs a model trained with --directions both; the served model has l2r only", error(post("?rescore=0.5", "image/png", png), 400));
    }

    @Test
    void tooManyBytesOrPixelsAre413() throws Exception {
        byte[] big = new byte[(int) MAX_UPLOAD + 1];
        System.arraycopy(png, 0, big, 0, png.length);
        assertTrue(error(post("", "image/png", big), 413).contains("larger than the limit of " + MAX_UPLOAD + " bytes"));
        // The header of a few dozen bytes claims 10^10 pixels: refused before a pixel is allocated.
        long before = System.nanoTime();
        assertEquals("the uploaded image: the image is 100000x100000 pixels, over the limit of 40000000",
                error(post("", "image/png", TestImages.pngClaiming(100_000, 100_000)), 413));
        assertTrue(System.nanoTime() - before < 5_000_000_000L, "refused quickly");
        // Real pixel data this time, a PNG that inflates to 8000x8000 (64 million pixels), under the upload limit.
        byte[] bomb = Files.readAllBytes(TestImages.blackPng(8000, 8000, dir.resolve("8000.png")));
        assertTrue(bomb.length < MAX_UPLOAD, bomb.length + " bytes");
        assertEquals("the uploaded image: the image is 8000x8000 pixels, over the limit of 40000000", error(post("", "image/png", bomb), 413));
    }

    @Test
    void largeImagesUnderThePixelLimitAreCaptioned() throws Exception {
        // 6000x6000, 36 million pixels: read subsampled to twice the model's size, not decoded whole (144 MB).
        byte[] large = Files.readAllBytes(TestImages.blackPng(6000, 6000, dir.resolve("6000.png")));
        HttpResponse<String> r = post("", "image/png", large);
        assertEquals(200, r.statusCode(), r.body());
        String black = captioner.caption(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB)).text();
        assertEquals(black, JSON.readTree(r.body()).get("caption").asText());
    }

    @Test
    void answersGivenBeforeTheBodyIsReadReachTheClient() throws Exception {
        // A large body refused unread: unless the server reads what is left, closing the connection
        // resets it and the client loses the answer (about one time in four here, without it).
        byte[] large = new byte[(int) MAX_UPLOAD - 1], over = new byte[(int) MAX_UPLOAD + 1];
        for (int round = 0; round < 20; round++) {
            error(post("?beam=wide", "image/png", large), 400);
            error(post("", "text/plain", large), 415);
            error(post("", "image/png", over), 413);
        }
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        assertTrue(error(post("", "text/plain", png), 415).startsWith("Content-Type text/plain is not supported"));
        assertTrue(error(post("", "image/webp", png), 415).startsWith("Content-Type image/webp is not supported"));
        assertTrue(error(post("", null, png), 415).contains("image/jpeg, image/png, image/gif or image/bmp"));
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertTrue(error(get("/v1/nothing"), 404).contains("not found"));
        assertEquals(404, get("/v1/samples/..%2F..%2Fetc%2Fpasswd").statusCode());
        error(get("/v1/samples/..%2F..%2Fetc%2Fpasswd"), 404);
        error(get("/../../etc/passwd"), 400); // Jetty refuses a path that climbs above the root
        error(get("/v1/samples/9"), 404);
        error(get("/app.js/../../pom.xml"), 400);
        error(get("/v1/captions"), 405);
        error(http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/health")).DELETE().build(), HttpResponse.BodyHandlers.ofString()), 405);
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheServerStaysUp() throws Exception {
        try (ImageCaptioner tiny = ImageCaptioner.open(captioner.checkpoint(), ImageCaptioner.Options.defaults().withBackend("cpu").withQueueCapacity(1).withMaxBatch(1))) {
            CaptionServer small = CaptionServer.start(tiny, CaptionServer.Settings.defaults().withPort(0), List.of());
            try {
                List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    pending.add(http.sendAsync(HttpRequest.newBuilder(small.uri().resolve("/v1/captions?beam=5"))
                            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString()));
                }
                int ok = 0, busy = 0;
                for (CompletableFuture<HttpResponse<String>> f : pending) {
                    HttpResponse<String> r = f.get();
                    if (r.statusCode() == 200) {
                        ok++;
                    } else {
                        assertTrue(error(r, 503).startsWith("the captioner is busy"));
                        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                        busy++;
                    }
                }
                assertTrue(ok > 0 && busy > 0, ok + " answered, " + busy + " refused");
                HttpResponse<String> after = http.send(HttpRequest.newBuilder(small.uri().resolve("/v1/captions")).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, after.statusCode(), "still serving after the burst");
            } finally {
                small.close();
            }
        }
    }

    @Test
    void stoppingAnswersTheRequestsInFlightFirst() throws Exception {
        try (ImageCaptioner own = ServedModel.open(captioner.checkpoint(), 64)) {
            CaptionServer s = CaptionServer.start(own, CaptionServer.Settings.defaults().withPort(0), List.of());
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                pending.add(http.sendAsync(HttpRequest.newBuilder(s.uri().resolve("/v1/captions?beam=5"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            // Every request has reached the server (is being captioned, or answered) before the stop: one
            // still connecting is not in flight, and a stopped server cannot answer it.
            while (s.inFlight() + pending.stream().filter(CompletableFuture::isDone).count() < pending.size() && System.nanoTime() < deadline) Thread.sleep(1);
            assertTrue(s.inFlight() > 0, "requests were in flight when the stop came");
            int port = s.port();
            s.drainAndStop(Duration.ofSeconds(30));
            for (CompletableFuture<HttpResponse<String>> f : pending) {
                HttpResponse<String> r = f.get();
                // Each was answered: captioned, or (arriving after the stop began) told the server is stopping.
                if (r.statusCode() != 200) assertEquals("the server is shutting down", error(r, 503));
            }
            assertTrue(pending.stream().anyMatch(f -> f.join().statusCode() == 200));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }

    @Test
    void theModelIsDescribedAndDrawn() throws Exception {
        JsonNode health = JSON.readTree(get("/v1/health").body());
        assertEquals("ok", health.get("status").asText());
        assertEquals("cpu", health.get("backend").asText());
        assertEquals("served", health.get("model").asText());

        JsonNode model = JSON.readTree(get("/v1/model").body());
        assertEquals(ModelSummary.of(captioner.config()).total(), model.get("parameters").get("total").asLong());
        assertEquals(model.get("parameters").get("total").asLong(),
                model.get("parameters").get("encoder").asLong() + model.get("parameters").get("decoder").asLong());
        assertEquals(32, model.get("config").get("encoder").get("dim").asInt());
        assertEquals(64, model.get("image_size").asInt());

        HttpResponse<String> svg = get("/v1/model/diagram.svg");
        assertEquals("image/svg+xml", svg.headers().firstValue("Content-Type").orElse(""));
        assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.body().getBytes(StandardCharsets.UTF_8))).getDocumentElement().getNodeName());
    }

    @Test
    void samplesAreTheFolderImagesThatDecode() throws Exception {
        JsonNode samples = JSON.readTree(get("/v1/samples").body());
        assertEquals(List.of("a.png", "b.jpg"), toList(samples.elements()).stream().map(s -> s.get("name").asText()).toList());
        HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(server.uri().resolve(samples.get(1).get("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElse(""));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("samples/b.jpg")), first.body()));
    }

    @Test
    void thePageAndItsAssetsComeFromTheJarWithNoOtherHost() throws Exception {
        for (String path : List.of("/", "/app.js", "/app.css")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            assertFalse(r.body().matches("(?s).*(src|href)=\"(https?:)?//.*") || r.body().contains("url(http") || r.body().contains("import("), path + " loads nothing from elsewhere");
        }
        assertTrue(get("/").headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(get("/").body().contains("name=\"viewport\""), "sized for phones");
    }

    @Test
    void itListensOnLoopbackUnlessToldOtherwise() throws Exception {
        assertEquals("127.0.0.1", CaptionServer.Settings.defaults().host());
        assertEquals("127.0.0.1", server.uri().getHost());
        List<InetAddress> elsewhere = new ArrayList<>();
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) for (InetAddress a : Collections.list(n.getInetAddresses())) if (a instanceof Inet4Address) elsewhere.add(a);
        }
        for (InetAddress a : elsewhere) {
            assertThrows(IOException.class, () -> new Socket(a, server.port()).close(), "not reachable at " + a);
        }
        assertNotNull(new Socket("127.0.0.1", server.port()));
    }
}
