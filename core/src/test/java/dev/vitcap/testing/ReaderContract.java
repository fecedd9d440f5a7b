package dev.vitcap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every file reader owes its user, checked by the fuzz tests on whatever bytes the fuzzer makes:
 * the reader returns a value, or throws its own exception whose message is one line that names the
 * file, in the user's words. Anything else it throws (a NullPointerException, an IndexOutOfBounds,
 * Jackson's exceptions, an OutOfMemoryError, a StackOverflowError) propagates, and the fuzzer reports
 * it with the input that caused it; so does a hang, by the fuzzer's per-input timeout.
 */
public final class ReaderContract {
    /** A reader under test; what it returns is not looked at. */
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /**
     * What a message must never show unless it quotes it from the file: the parser's vocabulary (Java
     * types in backticks, token and feature names, source excerpts, character codes) and Java's
     * (exception and package names).
     */
    private static final Pattern INTERNALS = Pattern.compile(
            "`|JsonToken|Feature|\\[Source|REDACTED|CTRL-CHAR|\\(code \\d|java\\.[a-z]|com\\.fasterxml|Exception|(?<=: )null$");

    /** How {@link dev.vitcap.io.UserText} shows a control character. */
    private static final Pattern ESCAPED = Pattern.compile("\\\\u[0-9a-fA-F]{4}");

    private static Path dir;

    private ReaderContract() {
    }

    /** A scratch directory for this test JVM (one fuzz target), removed when the JVM exits. */
    public static synchronized Path scratch() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("vitcap-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        }
        return dir;
    }

    /** Writes the fuzzer's bytes to {@code name} in the scratch directory. */
    public static Path write(String name, byte[] bytes) {
        try {
            return Files.write(scratch().resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code reader} on {@code file}: a value, or {@code refusal} with a message that names one
     * of {@code named} (the file itself unless given). Any other throwable is rethrown as it is.
     */
    public static void check(Path file, Class<? extends Exception> refusal, Reader reader, Path... named) throws Exception {
        try {
            reader.read(file);
        } catch (Exception e) {
            if (!refusal.isInstance(e)) throw e;
            assertUserMessage(e.getMessage(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1),
                    named.length == 0 ? new Path[]{file} : named);
        }
    }

    /** A message for the user: one line, naming one of {@code named}, and no internals other than text of the {@code input}. */
    public static void assertUserMessage(String message, String input, Path... named) {
        assertNotNull(message, "a refusal without a message");
        assertFalse(message.isBlank(), "a blank message");
        assertFalse(message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0, () -> "more than one line: " + message);
        assertTrue(Arrays.stream(named).anyMatch(f -> message.contains(f.toString())), () -> "does not name " + Arrays.toString(named) + ": " + message);
        // A control character the message escapes (a backslash, u and four hex digits) is one character of the
        // input, not text: read as text, its last hex digit could join what follows into an internal name
        // (the escape of 0x1c, then "om.fasterxml").
        Matcher internal = INTERNALS.matcher(ESCAPED.matcher(message).replaceAll("\0"));
        while (internal.find()) {
            String shown = internal.group();
            assertTrue(input.contains(shown), () -> "shows internals (" + shown + "): " + message);
        }
    }

    private static void delete(Path root) {
        try (var all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory in the temporary folder: left for the system to clear
        }
    }
}
