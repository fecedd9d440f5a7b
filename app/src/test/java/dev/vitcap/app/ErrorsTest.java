package dev.vitcap.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one line an exception becomes: the user's terms, never a Java class name. */
class ErrorsTest {
    @Test
    void filesAreNamedWithTheReasonInWords() {
        assertEquals("/d/a.json: no such file", Errors.describe(new UncheckedIOException(new NoSuchFileException("/d/a.json"))));
        assertEquals("/d: permission denied", Errors.describe(new AccessDeniedException("/d")));
        // A rename of a temporary file onto the file the user named.
        assertEquals("/d/a.json: Is a directory", Errors.describe(new FileSystemException("/d/.a.json.123.tmp", "/d/a.json", "Is a directory")));
    }

    @Test
    void messagesForTheUserAreKeptAsTheyAre() {
        assertEquals("the captioner is closed", Errors.describe(new IllegalStateException("the captioner is closed")));
        assertEquals("--beam must be between 1 and 32, not 0", Errors.describe(new IllegalArgumentException("--beam must be between 1 and 32, not 0\nmore")));
        assertEquals("x.json: bad", Errors.describe(new IOException("x.json: bad")));
    }

    @Test
    void aBugSaysSoWithoutJavasNames() {
        String line = Errors.describe(new NullPointerException());
        assertTrue(line.startsWith("internal error (a bug in vitcap: please report it with this line): at ErrorsTest.java:"), line);
        line = Errors.describe(new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 3"));
        assertTrue(line.contains("Index 5 out of bounds for length 3") && !line.contains("Exception"), line);
    }

    @Test
    void outOfMemoryNamesTheKnob() {
        String heap = Errors.describe(new OutOfMemoryError("Java heap space"), true);
        assertTrue(heap.startsWith("out of memory: the Java heap (at most ") && heap.contains("VITCAP_JAVA_OPTS=\"-Xmx") && heap.endsWith("or use a smaller --batch"), heap);
        assertFalse(Errors.describe(new OutOfMemoryError("Java heap space"), false).contains("--batch"));
        OutOfMemoryError tensors = new OutOfMemoryError("Cannot allocate new FloatPointer(1769472): totalBytes = 12726K, physicalBytes = 68408K");
        tensors.initCause(new OutOfMemoryError("Failed to allocate memory within limits: totalBytes (12726K + 6912K) > maxBytes (19531K)"));
        String line = Errors.describe(tensors, true);
        assertTrue(line.startsWith("out of memory for tensors") && line.endsWith("use a smaller --batch or a smaller model"), line);
    }
}
