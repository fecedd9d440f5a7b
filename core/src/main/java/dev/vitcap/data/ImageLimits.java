package dev.vitcap.data;

import dev.vitcap.settings.Range;

/**
 * What one image may cost before {@link ImagePreprocessor} refuses it with {@link ImageTooLargeException},
 * judged from its file and header before any pixel is decoded. Decoding holds little memory whatever
 * the image's size (a large image is read subsampled to about twice the model's size), so these bound
 * what remains: the time a decoder spends on every pixel and row, the rows it holds, and the metadata
 * it reads into memory.
 *
 * @param maxPixels    the most pixels (width × height) an image's header may claim
 * @param maxSide      the longest side an image may have, in pixels
 * @param maxFileBytes the largest image file or upload, in bytes
 * @param maxTextBytes the most bytes a PNG's compressed text chunks may inflate to, all together
 * @param maxDecoderBytes the most memory a decoder may need beyond a band of rows: only a progressive
 *                     JPEG (or one with a scan per component) needs more, a buffer of the whole image
 */
public record ImageLimits(long maxPixels, int maxSide, long maxFileBytes, long maxTextBytes, long maxDecoderBytes) {
    /** The allowed values of each limit, which the command line's options are checked against too. */
    public static final Range MAX_PIXELS = Range.atLeast(1), MAX_SIDE = Range.atLeast(1), MAX_FILE_BYTES = Range.atLeast(1),
            MAX_TEXT_BYTES = Range.atLeast(0), MAX_DECODER_BYTES = Range.atLeast(0);

    public ImageLimits {
        MAX_PIXELS.check("the pixel limit", maxPixels);
        MAX_SIDE.check("the side limit", maxSide);
        MAX_FILE_BYTES.check("the file size limit (bytes)", maxFileBytes);
        MAX_TEXT_BYTES.check("the PNG text limit (bytes)", maxTextBytes);
        MAX_DECODER_BYTES.check("the decoder memory limit (bytes)", maxDecoderBytes);
    }

    public static ImageLimits defaults() {
        return new ImageLimits(
                // Pillow's limit, above which it refuses an image as a decompression bomb: images the
                // Python pipelines accept are accepted here. Every pixel is still decoded, so it bounds
                // time: about 2 s for a PNG at the limit on one core.
                178_956_970L,
                // The largest side JPEG and GIF can state at all. A decoder holds a row or a band of
                // rows at full width, so this bounds that memory (a 16-bit RGBA PNG row: 512 KB).
                65_535,
                // Above any photograph a camera writes (a 100-megapixel JPEG is 20 to 50 MB). The JPEG
                // reader holds a file's metadata segments in memory, twice over (a 93 MB JPEG of
                // segments took 200 MB), and an upload is held whole, so this bounds both.
                64L << 20,
                // libpng's default limit on one ancillary chunk once inflated: the JDK's PNG reader
                // inflates compressed text (zTXt, iTXt) into memory whole, at up to 1000 times its size.
                8_000_000L,
                // A progressive JPEG of about 85 megapixels at 4:2:0 colour (3 bytes a pixel), more
                // than any progressive JPEG met on the web, yet a small part of a machine's memory.
                256L << 20);
    }

    public ImageLimits withMaxPixels(long n) {
        return new ImageLimits(n, maxSide, maxFileBytes, maxTextBytes, maxDecoderBytes);
    }

    public ImageLimits withMaxSide(int n) {
        return new ImageLimits(maxPixels, n, maxFileBytes, maxTextBytes, maxDecoderBytes);
    }

    public ImageLimits withMaxFileBytes(long n) {
        return new ImageLimits(maxPixels, maxSide, n, maxTextBytes, maxDecoderBytes);
    }

    public ImageLimits withMaxTextBytes(long n) {
        return new ImageLimits(maxPixels, maxSide, maxFileBytes, n, maxDecoderBytes);
    }

    public ImageLimits withMaxDecoderBytes(long n) {
        return new ImageLimits(maxPixels, maxSide, maxFileBytes, maxTextBytes, n);
    }
}
