package dev.vitcap.data;

import java.nio.file.Path;

/** An image over one of the {@link ImageLimits}; it was refused before its pixels were decoded. */
public final class ImageTooLargeException extends UnreadableImageException {
    ImageTooLargeException(Path file, String source, String reason) {
        super(file, source, reason);
    }
}
