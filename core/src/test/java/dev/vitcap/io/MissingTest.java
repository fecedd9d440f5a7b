package dev.vitcap.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MissingTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsMissing() {
        assertEquals("no such file", Missing.why(dir.resolve("none.json")));
        assertEquals("no such folder", Missing.why(dir.resolve("none"), "folder"));
    }

    @Test
    void aLinkRoundALoopIsALoopWhereverItIsMet() throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b"), self = dir.resolve("self");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        Files.createSymbolicLink(self, self.getFileName());
        assertEquals("a symbolic link loop", Missing.why(a));
        assertEquals("a symbolic link loop", Missing.why(self));
        assertEquals("a symbolic link loop (" + a + ")", Missing.why(a.resolve("inside/image.png")));
    }

    @Test
    void aLinkToNothingSaysSo() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("moved-away.json"));
        assertEquals("a symbolic link to a missing file", Missing.why(link));
    }
}
