package dev.vitcap.data;

import java.nio.file.Path;

/** An image whose header claims more pixels than the budget allows; it was refused before its pixels were decoded. */
public final class ImageTooLargeException extends UnreadableImageException {
    ImageTooLargeException(Path file, String source, long width, long height, long maxPixels) {
        super(file, source, "the image is " + width + "x" + height + " pixels, over the limit of " + maxPixels);
    }
}
