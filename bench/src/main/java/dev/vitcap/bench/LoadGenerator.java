package dev.vitcap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.data.ImageFormats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running {@code vitcap serve}: C clients, each sending N captioning requests one after the
 * other (a closed loop, as users waiting for their answers do), then the throughput, the p50 and p99
 * latency, the answers that were not 200 by status, and the server's batching and peak memory from
 * {@code /v1/health}.
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.vitcap.bench.LoadGenerator \
 *     --url http://127.0.0.1:8080/ --image photo.png --clients 16 --requests 1000 --query beam=1
 * </pre>
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run measured; the latencies are of every answer, refusals included. */
    public record Result(int clients, int requests, double seconds, double p50Millis, double p99Millis,
                         Map<Integer, Long> failures, long transportErrors) {
        public long errors() {
            return failures.values().stream().mapToLong(Long::longValue).sum() + transportErrors;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        URI url = URI.create(a.getOrDefault("url", "http://127.0.0.1:8080/"));
        if (!a.containsKey("image")) throw new IllegalArgumentException("--image FILE is required: the image every request sends");
        Path image = Path.of(a.get("image"));
        int clients = Integer.parseInt(a.getOrDefault("clients", "16")), requests = Integer.parseInt(a.getOrDefault("requests", "1000"));
        String query = a.getOrDefault("query", "beam=1");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonNode before = health(http, url);
        Result r = run(http, url.resolve("/v1/captions?" + query), Files.readAllBytes(image), type(image), clients, requests);
        JsonNode after = health(http, url);
        long batches = after.path("batches").asLong() - before.path("batches").asLong(), images = after.path("images").asLong() - before.path("images").asLong();
        System.out.printf(Locale.ROOT, "cpu: %s (%d cores)%n", cpuModel(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "clients %d x requests %d (%s): %.1f s, %.1f captions/s, p50 %.1f ms, p99 %.1f ms, errors %d%s%n",
                r.clients(), r.requests(), query, r.seconds(), (r.clients() * (long) r.requests() - r.errors()) / r.seconds(), r.p50Millis(), r.p99Millis(), r.errors(),
                r.failures().isEmpty() && r.transportErrors() == 0 ? "" : " (by status " + r.failures() + ", transport " + r.transportErrors() + ")");
        System.out.printf(Locale.ROOT, "server: %s on %s, mean batch %.1f images, peak RSS %.0f MiB, status %s%n", after.path("model").asText(),
                after.path("backend").asText(), batches == 0 ? 0.0 : (double) images / batches, after.path("peak_rss_bytes").asLong() / 1048576.0,
                after.path("status").asText());
    }

    /** Runs {@code clients} threads of {@code requests} POSTs each against {@code endpoint}. */
    public static Result run(HttpClient http, URI endpoint, byte[] image, String contentType, int clients, int requests) throws Exception {
        long[] latencies = new long[clients * requests];
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        AtomicLong transport = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", contentType)
                            .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
                    for (int i = 0; i < requests; i++) {
                        long t = System.nanoTime();
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                            if (status != 200) failures.merge(status, 1L, Long::sum);
                        } catch (IOException e) {
                            transport.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies[client * requests + i] = System.nanoTime() - t;
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(clients, requests, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                new TreeMap<>(failures), transport.get());
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static JsonNode health(HttpClient http, URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + "v1/health answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String type(Path image) {
        String t = ImageFormats.mediaType(image);
        if (t == null) throw new IllegalArgumentException(image + ": send a .png, .jpg, .gif or .bmp");
        return t;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("options come as --name value pairs: " + String.join(" ", args));
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }
}
