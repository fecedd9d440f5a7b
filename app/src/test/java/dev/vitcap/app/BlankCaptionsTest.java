package dev.vitcap.app;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A caption file whose captions are all blank stops training and evaluation with one line naming it, before any other work. */
class BlankCaptionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"train", "evaluate"})
    void allBlankCaptionsAreOneLineNamingTheFile(String command) throws Exception {
        Path csv = Files.writeString(dir.resolve("blank.csv"), "image,caption\na.png,\" \"\nb.png,\n");
        String[] args = command.equals("train")
                ? new String[]{"train", "--annotations", csv.toString(), "--images", dir.toString(), "--out", dir.resolve("run").toString()}
                : new String[]{"evaluate", "--annotations", csv.toString(), "--images", dir.toString(), "--checkpoint", dir.resolve("none.json").toString()};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Main.commandLine().execute(args);
        } finally {
            System.setErr(stderr);
        }
        assertEquals(1, code, err.toString());
        assertEquals("vitcap " + command + ": " + csv + ": no captions: all 2 are blank", err.toString().strip());
    }
}
