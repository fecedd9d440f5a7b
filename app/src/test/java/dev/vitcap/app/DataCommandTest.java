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
        assertOneLineError(2, "vitcap data synth: size must be 16 to 1024 pixels, not 0",
                "data", "synth", "--out", temp.toString(), "--size", "0");
        assertOneLineError(2, "vitcap data synth: image counts must not be negative: train 10000, val -3, test 1000",
                "data", "synth", "--out", temp.toString(), "--val", "-3");
    }

    @Test
    void anUnwritableDirectoryGetsOneLineAndExitCodeOne() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        assertOneLineError(1, "vitcap data synth: cannot write " + file.resolve("world/images") + ": Not a directory",
                "data", "synth", "--out", file.resolve("world").toString(), "--train", "1", "--val", "0", "--test", "0");
    }

    private void assertOneLineError(int exit, String line, String... args) {
        assertEquals(exit, run(args), out::toString);
        assertEquals(line, err.toString().strip());
        assertEquals("", out.toString());
        err.getBuffer().setLength(0);
    }
}
