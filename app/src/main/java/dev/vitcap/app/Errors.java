package dev.vitcap.app;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line a user reads. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) return n.getFile() + ": no such file";
        if (e instanceof AccessDeniedException d) return d.getFile() + ": permission denied";
        String message = e.getMessage();
        if (message == null || message.isBlank()) return e.getClass().getSimpleName();
        String line = message.strip().lines().findFirst().orElse(message);
        return e instanceof RuntimeException && !(e instanceof IllegalArgumentException) && !(e instanceof dev.vitcap.kernel.BackendException)
                ? e.getClass().getSimpleName() + ": " + line : line;
    }
}
