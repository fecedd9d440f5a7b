package dev.vitcap.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void synthWritesTheWorldAndSaysSoInOneLine() {
        Path dir = temp.resolve("world");
        int exit = run("data", "synth", "--out", dir.toString(), "--train", "6", "--val", "2", "--test", "2",
                "--size", "32", "--seed", "4");
        assertEquals(0, exit, err::toString);
        assertTrue(out.toString().startsWith("wrote 10 images (train 6, val 2, test 2) of 32 px and 50 captions to "), out::toString);
        assertEquals(1, out.toString().lines().count());
        assertTrue(Files.isRegularFile(dir.resolve("images/val/000002.png")));
        assertTrue(Files.isRegularFile(dir.resolve("annotations/test.json")));
        assertTrue(Files.isRegularFile(dir.resolve("scenes/train.json")));
    }

    @Test
    void badNumbersGetOneLineAndExitCodeTwo() {
        assertOneLineError(2, "vitcap data synth: --size must be between 16 and 1024, not 0",
                "data", "synth", "--out", temp.toString(), "--size", "0");
        assertOneLineError(2, "vitcap data synth: --val must be at least 0, not -3",
                "data", "synth", "--out", temp.toString(), "--val", "-3");
        assertOneLineError(2, "vitcap data synth: nothing to generate: every split has 0 images",
                "data", "synth", "--out", temp.toString(), "--train", "0", "--val", "0", "--test", "0");
    }

    @Test
    void anUnwritableDirectoryGetsOneLineAndExitCodeOne() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        assertOneLineError(1, "vitcap data synth: " + file.resolve("world") + ": cannot be made, " + file + " is a file, not a folder (--out)",
                "data", "synth", "--out", file.resolve("world").toString(), "--train", "1", "--val", "0", "--test", "0");
    }

    private void assertOneLineError(int exit, String line, String... args) {
        assertEquals(exit, run(args), out::toString);
        assertEquals(line, err.toString().strip());
        assertEquals("", out.toString());
        err.getBuffer().setLength(0);
    }
}
