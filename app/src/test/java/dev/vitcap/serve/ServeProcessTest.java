package dev.vitcap.serve;

import dev.vitcap.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vitcap serve} as a user runs it: a process that prints its address, and on SIGTERM answers what it holds and exits 0. */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermAnswersTheRequestsInFlightAndExitsZero() throws Exception {
        Path checkpoint = ServedModel.checkpoint(dir);
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--checkpoint", checkpoint.toString(), "--port", "0", "--backend", "cpu").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            URI uri = null;
            for (String line; uri == null && (line = out.readLine()) != null; ) {
                lines.add(line);
                Matcher m = Pattern.compile(" at (http://\\S+/)").matcher(line);
                if (m.find()) uri = URI.create(m.group(1));
            }
            assertTrue(uri != null, "the address is printed: " + lines);
            assertEquals("127.0.0.1", uri.getHost(), "loopback unless told otherwise");

            HttpClient http = HttpClient.newHttpClient();
            byte[] png = ServedModel.picture(3, "png");
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                pending.add(http.sendAsync(HttpRequest.newBuilder(uri.resolve("/v1/captions?beam=5")).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // Every request has reached the server (being captioned, or answered) before the signal: one
            // still connecting is not in flight, and a stopped server cannot answer it.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (inFlight(http, uri) + pending.stream().filter(CompletableFuture::isDone).count() < pending.size() && System.nanoTime() < deadline) Thread.sleep(5);
            // SIGTERM, as a service manager sends it (Process.destroy would also close the output read below).
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
            int answered = 0;
            for (CompletableFuture<HttpResponse<String>> f : pending) {
                HttpResponse<String> r = f.join();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 503 && r.body().contains("shutting down"), r.statusCode() + " " + r.body());
                if (r.statusCode() == 200) answered++;
            }
            assertTrue(answered > 1, answered + " captioned");
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "it exits");
            for (String line; (line = out.readLine()) != null; ) lines.add(line);
            assertEquals(0, serve.exitValue(), String.join("\n", lines));
            assertTrue(lines.get(lines.size() - 1).endsWith("stopped"), String.join("\n", lines));
        } finally {
            serve.destroyForcibly();
        }
    }

    private static long inFlight(HttpClient http, URI uri) throws Exception {
        String health = http.send(HttpRequest.newBuilder(uri.resolve("/v1/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(health).get("in_flight").asLong();
    }

    @Test
    void withoutACheckpointOrTheDemosModelItSaysWhatToDo() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        // Tests run in app/, where there is no runs/demo.
        assertEquals(1, cl.execute("serve", "--port", "0"));
        assertEquals("vitcap serve: no model to serve: run ./vitcap demo to train the demo's (runs/demo/model/best.json), or pass --checkpoint FILE.json",
                err.toString().strip());
    }
}
