package dev.vitcap.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One image that cannot be used (missing, empty, not an image, corrupt, truncated, or over the pixel
 * budget); the caller decides to skip it. It names its source: a file, or what the bytes came from.
 */
public class UnreadableImageException extends IOException {
    private final Path file;
    private final String reason;

    public UnreadableImageException(Path file, String reason) {
        this(file, file.toString(), reason);
    }

    /** An image that came as bytes, {@code source} saying from where (an upload, say). */
    public UnreadableImageException(String source, String reason) {
        this(null, source, reason);
    }

    UnreadableImageException(Path file, String source, String reason) {
        super(source + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    /** The file, or null when the image came as bytes. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the source. */
    public String reason() {
        return reason;
    }
}
