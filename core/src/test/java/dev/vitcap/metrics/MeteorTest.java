package dev.vitcap.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteorTest {
    /** A stand-in for METEOR's -stdio loop: SCORE gives "stats N", EVAL gives 0.1 per image, then 0.5. */
    private static Meteor fake(List<String> received) throws IOException {
        PipedOutputStream toFake = new PipedOutputStream();
        BufferedReader fakeIn = new BufferedReader(new InputStreamReader(new PipedInputStream(toFake), StandardCharsets.UTF_8));
        PipedOutputStream fromFake = new PipedOutputStream();
        PipedInputStream meteorIn = new PipedInputStream(fromFake);
        Thread responder = new Thread(() -> {
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(fromFake, StandardCharsets.UTF_8), true)) {
                for (String line; (line = fakeIn.readLine()) != null; ) {
                    received.add(line);
                    if (line.startsWith("SCORE")) {
                        out.println("stats " + received.size());
                    } else if (line.startsWith("EVAL")) {
                        int images = line.split(" \\|\\|\\| ").length - 1;
                        for (int i = 0; i < images; i++) {
                            out.println(0.1 * (i + 1));
                        }
                        out.println(0.5);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        responder.setDaemon(true);
        responder.start();
        return new Meteor(new BufferedWriter(new OutputStreamWriter(toFake, StandardCharsets.UTF_8)),
                new BufferedReader(new InputStreamReader(meteorIn, StandardCharsets.UTF_8)), () -> { }, "fake METEOR");
    }

    @Test
    void speaksTheScoreThenEvalProtocol() throws Exception {
        List<String> received = new ArrayList<>();
        try (Meteor meteor = fake(received)) {
            Meteor.Scores scores = meteor.score(List.of(List.of("a cat", "the cat"), List.of("a dog")),
                    List.of("a ||| cat", "a  dog"));
            assertEquals(0.5, scores.corpus());
            assertArrayEquals(new double[] {0.1, 0.2}, scores.perImage(), 1e-12);
        }
        // The candidate loses "|||" and then double spaces, as in the reference.
        assertEquals(List.of("SCORE ||| a cat ||| the cat ||| a cat", "SCORE ||| a dog ||| a dog",
                "EVAL ||| stats 1 ||| stats 2"), received);
    }

    @Test
    void aProcessThatStopsIsAClearError() throws Exception {
        PipedOutputStream sink = new PipedOutputStream();
        new PipedInputStream(sink);
        try (Meteor meteor = new Meteor(new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8)),
                new BufferedReader(new java.io.StringReader("")), () -> { }, "METEOR (test)")) {
            CaptionFileException e = assertThrows(CaptionFileException.class,
                    () -> meteor.score(List.of(List.of("a")), List.of("a")));
            assertTrue(e.getMessage().startsWith("METEOR (test) stopped before answering"), e.getMessage());
        }
    }
}
