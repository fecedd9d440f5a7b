package dev.vitcap.data;

import java.io.IOException;
import java.nio.file.Path;

/** One image file that cannot be used (missing, empty, not an image, corrupt or truncated); the caller decides to skip it. */
public final class UnreadableImageException extends IOException {
    private final Path file;
    private final String reason;

    public UnreadableImageException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** What is wrong, without the path. */
    public String reason() {
        return reason;
    }
}
