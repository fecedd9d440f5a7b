package dev.vitcap.data;

import dev.vitcap.io.Missing;
import dev.vitcap.settings.Range;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns an image file into the square RGB input of the encoder: decoded with ImageIO (JPEG through
 * the TwelveMonkeys plugin, so CMYK and YCCK JPEGs work; PNG, BMP, GIF's first frame), turned upright
 * by its EXIF orientation, made RGB (grey and palette expanded, CMYK converted, transparency
 * composited on white, the background of most product shots and logos), cut to its centre square and
 * scaled to {@code size} pixels, giving uint8 CHW for the cache. Cropping the centre square first and
 * then scaling it equals scaling the short side to {@code size} and cropping the centre, at less cost.
 * Only the centre square is decoded, and of a large one only one pixel in f across and down (see
 * {@link #centreSquare}), so decoding holds under (4 × size)² pixels whatever the image's size.
 * Images over the {@link ImageLimits} are refused before they are decoded.
 * Thread-safe: every call uses its own reader.
 */
public final class ImagePreprocessor {
    /** A decoder needed bytes past the end of the data (a JPEG decoder fills the missing rows with grey, a BMP decoder with black). */
    private static final String TRUNCATED = "truncated image: the data ends before the image does";
    /**
     * A large image is read subsampled to at least twice the model's size, not to the size itself, so
     * that the 2×2 averaging of {@link #scaleToSquare} still follows and no output pixel is one sampled
     * pixel. On a 1200×900 photograph-like image scaled to 64, reading to the size changed the pixels
     * of a whole decode by 4.4 levels in 255 on average, reading to twice it by 2.2, to four times by
     * 1.5; twice keeps decoding under (4 × size)² pixels (ImagePreprocessorTest, docs/data.md).
     */
    private static final int READ_SIZES = 2;

    /**
     * Sides of the square input, in pixels: up to the largest input of timm's ViTs (SAM's encoder, 1024). Past it a
     * cache row is over 3 MB an image (COCO's cache over 370 GB) and a ViT with 16-pixel patches sees over 4096 tokens.
     */
    public static final Range SIZE = Range.between(1, 1024);

    private final int size;
    private final ImageLimits limits;

    public ImagePreprocessor(int size) {
        this(size, ImageLimits.defaults());
    }

    /** Refuses, with {@link ImageTooLargeException}, images over {@code limits}. */
    public ImagePreprocessor(int size, ImageLimits limits) {
        SIZE.check("image size", size);
        this.size = size;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    public int size() {
        return size;
    }

    /** Bytes in one image: 3 × size × size. */
    public int imageBytes() {
        return 3 * size * size;
    }

    /** The image as uint8 [3, size, size], channels R, G, B. */
    public byte[] chw8(Path file) throws UnreadableImageException {
        byte[] out = new byte[imageBytes()];
        chw8(file, out, 0);
        return out;
    }

    /** The image as uint8 [3, size, size] into {@code out} at {@code offset}. */
    public void chw8(Path file, byte[] out, int offset) throws UnreadableImageException {
        chw8(decode(file), file, file.toString(), out, offset);
    }

    /**
     * An encoded image held in memory (an upload, say) as uint8 [3, size, size]; {@code source} names
     * it in errors.
     */
    public byte[] chw8(byte[] encoded, String source) throws UnreadableImageException {
        if (encoded.length == 0) throw new UnreadableImageException(source, "empty (0 bytes)");
        requireFileSize(null, source, encoded.length);
        byte[] out = new byte[imageBytes()];
        chw8(decode(null, source, () -> new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))), null, source, out, 0);
        return out;
    }

    private void chw8(Decoded decoded, Path file, String source, byte[] out, int offset) throws UnreadableImageException {
        try {
            chw8(decoded.image(), decoded.orientation(), out, offset);
        } catch (RuntimeException e) {
            throw new UnreadableImageException(file, source, "cannot convert to RGB: " + e);
        }
    }

    /** An image already in memory (upright: no EXIF to honour) as uint8 [3, size, size]. */
    public byte[] chw8(BufferedImage image) {
        if (image.getWidth() < 1 || image.getHeight() < 1) throw new IllegalArgumentException("image has no pixels");
        byte[] out = new byte[imageBytes()];
        chw8(image, ExifOrientation.NORMAL, out, 0);
        return out;
    }

    private void chw8(BufferedImage image, ExifOrientation orientation, byte[] out, int offset) {
        int[] rgb = ((DataBufferInt) scaleToSquare(image).getRaster().getDataBuffer()).getData();
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = rgb[orientation.sourceIndex(x, y, size)];
                int i = offset + y * size + x;
                out[i] = (byte) (p >> 16);
                out[i + plane] = (byte) (p >> 8);
                out[i + 2 * plane] = (byte) p;
            }
        }
    }

    /** The image as the encoder's float [3, size, size] input. */
    public float[] normalised(Path file, PixelNormalizer normalizer) throws UnreadableImageException {
        float[] out = new float[imageBytes()];
        normalizer.apply(chw8(file), 0, out, 0, size * size);
        return out;
    }

    private record Decoded(BufferedImage image, ExifOrientation orientation) {
    }

    /** Opens the encoded image; both files and bytes are read through ImageIO's streams. */
    private interface Source {
        ImageInputStream open() throws IOException;
    }

    private Decoded decode(Path file) throws UnreadableImageException {
        if (!Files.isRegularFile(file)) throw new UnreadableImageException(file, Files.exists(file) ? "not a file" : Missing.why(file));
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new UnreadableImageException(file, "cannot read: " + DatasetException.firstLine(e.getMessage()));
        }
        if (bytes == 0) throw new UnreadableImageException(file, "empty file (0 bytes)");
        requireFileSize(file, file.toString(), bytes);
        return decode(file, file.toString(), () -> new FileImageInputStream(file.toFile()));
    }

    private void requireFileSize(Path file, String source, long bytes) throws ImageTooLargeException {
        if (bytes > limits.maxFileBytes()) {
            throw new ImageTooLargeException(file, source, "the file is " + bytes + " bytes, over the limit of " + limits.maxFileBytes());
        }
    }

    private Decoded decode(Path file, String source, Source encoded) throws UnreadableImageException {
        try (EndAwareStream in = new EndAwareStream(encoded.open())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new UnreadableImageException(file, source, "not an image format vitcap reads (JPEG, PNG, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                try {
                    return read(file, source, in, reader, format);
                } catch (UnreadableImageException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw new UnreadableImageException(file, source, cutShort(format, in) || endOfFile(e) ? TRUNCATED : failure(e));
                }
            } finally {
                reader.dispose();
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException(file, source, failure(e));
        }
    }

    /**
     * Whether the decoder needed bytes past the end of the data. JPEG's reads ahead in blocks, so it
     * reaches the end of every file; it needed more only if it asked again.
     */
    private static boolean cutShort(String format, EndAwareStream in) {
        return format.equals("jpeg") ? in.askedPastEnd() : in.reachedEnd();
    }

    /** Whether reading stopped at the end of the data: ImageIO's own stream methods throw EOFException on a short read. */
    private static boolean endOfFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) return true;
        }
        return false;
    }

    /**
     * Why a decoder failed, in a line: its own words for a bad image, the system's for a failed read.
     * Decoders answer some garbage with runtime exceptions (an index out of bounds and the like); that
     * is one bad file, and must not end a run over a hundred thousand.
     */
    private static String failure(Exception e) {
        if (e instanceof IIOException) return "corrupt image: " + DatasetException.firstLine(e.getMessage());
        if (e instanceof IOException) return "cannot read: " + DatasetException.firstLine(e.getMessage());
        return "corrupt image: the decoder failed on its data";
    }

    private Decoded read(Path file, String source, EndAwareStream in, ImageReader reader, String format) throws IOException {
        boolean[] dataEndedEarly = {false};
        // libjpeg only warns when the data stops early and fills the rest with grey; such an image
        // would teach the model grey blocks, so the warning makes it unreadable. Other warnings
        // (stray bytes between markers, odd ICC profiles) leave the picture whole and are let pass.
        reader.addIIOReadWarningListener((src, warning) -> {
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) dataEndedEarly[0] = true;
        });
        if (format.equals("png") && PngText.inflatedBytes(in, limits.maxTextBytes()) > limits.maxTextBytes()) {
            throw new ImageTooLargeException(file, source, "its compressed text inflates to over " + limits.maxTextBytes() + " bytes, the limit");
        }
        reader.setInput(in, false, false);
        // The size comes from the header, before any pixel is decoded: a small file claiming a huge
        // image is refused without allocating it.
        long width = reader.getWidth(0), height = reader.getHeight(0);
        if (width < 1 || height < 1) throw new UnreadableImageException(file, source, "image has no pixels");
        if (width * height > limits.maxPixels()) {
            throw new ImageTooLargeException(file, source, "the image is " + width + "x" + height + " pixels, over the limit of " + limits.maxPixels());
        }
        if (Math.max(width, height) > limits.maxSide()) {
            throw new ImageTooLargeException(file, source, "the image is " + width + "x" + height + " pixels, over the limit of " + limits.maxSide() + " on a side");
        }
        IIOMetadata metadata = metadata(reader);
        if (format.equals("bmp") && embedsJpegOrPng(metadata)) {
            throw new UnreadableImageException(file, source, "not an image format vitcap reads (a BMP holding a JPEG or PNG)");
        }
        if (format.equals("jpeg")) {
            long buffer = JpegCoefficients.bufferBytes(metadata, width, height);
            if (buffer > limits.maxDecoderBytes()) {
                throw new ImageTooLargeException(file, source, "decoding it takes " + buffer + " bytes (a progressive JPEG is decoded whole), over the limit of "
                        + limits.maxDecoderBytes());
            }
        }
        BufferedImage image = reader.read(0, centreSquare(reader.getDefaultReadParam(), (int) width, (int) height));
        // A decoder that ran into the end made up what it found missing (BMP's reader, reading part of an
        // image, fills it with black). JPEG's asks past the end for a missing end marker alone, and warns
        // when pixels are missing.
        if (dataEndedEarly[0] || !format.equals("jpeg") && in.reachedEnd()) throw new UnreadableImageException(file, source, TRUNCATED);
        if (image.getWidth() < 1 || image.getHeight() < 1) throw new UnreadableImageException(file, source, "image has no pixels");
        return new Decoded(image, orientation(metadata));
    }

    /**
     * Reads only the centre square of a width × height image, and of it one pixel in {@code step} across
     * and down (the middle pixel of each step × step block), {@code step} the largest that leaves at
     * least {@link #READ_SIZES} × {@code size} pixels on a side. Below twice that the step is 1 and the
     * square is read whole, as it always was; above, decoding holds fewer than (4 × size)² pixels
     * however large the image. The EXIF orientation still applies afterwards: it maps the centre square
     * onto itself.
     */
    private ImageReadParam centreSquare(ImageReadParam param, int width, int height) {
        int side = Math.min(width, height);
        int step = Math.max(1, side / (READ_SIZES * size));
        int read = side / step * step; // whole blocks; the pixels left out are under a quarter of an output pixel a side
        param.setSourceRegion(new Rectangle((width - read) / 2, (height - read) / 2, read, read));
        if (step > 1) param.setSourceSubsampling(step, step, (step - 1) / 2, (step - 1) / 2);
        return param;
    }

    /**
     * The image's metadata, or null when it cannot be read: a broken EXIF block then loses only the
     * orientation, as the pixels decode whole.
     */
    private static IIOMetadata metadata(ImageReader reader) {
        try {
            return reader.getImageMetadata(0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether a BMP's compression is 4 or 5, a whole JPEG or PNG inside: the JDK's BMP reader hands it
     * to a second reader, with a buffer sized by the BMP header's claim, out of reach of every check
     * here. Such files are meant for printers; cameras and browsers do not write them.
     */
    private static boolean embedsJpegOrPng(IIOMetadata metadata) {
        try {
            IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree("javax_imageio_bmp_1.0");
            Node compression = tree.getElementsByTagName("Compression").item(0);
            return compression != null && Set.of("4", "5").contains(compression.getNodeValue());
        } catch (RuntimeException e) {
            return false; // no metadata: the reader cannot parse the header either, and fails on its own
        }
    }

    private static ExifOrientation orientation(IIOMetadata metadata) {
        try {
            return ExifOrientation.of(metadata);
        } catch (RuntimeException e) {
            return ExifOrientation.NORMAL; // a tree the reader could not build: as if it stated none
        }
    }

    /**
     * The centre square scaled to size × size as INT_RGB. Downscaling halves with bilinear
     * filtering while more than twice too large (each halving averages 2×2 blocks, so no source
     * pixel is skipped as in one bilinear or nearest step), then one bilinear step to the size.
     */
    private BufferedImage scaleToSquare(BufferedImage image) {
        int side = Math.min(image.getWidth(), image.getHeight());
        BufferedImage current = image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
        int currentSide = side;
        do {
            int next = currentSide > 2 * size ? (currentSide + 1) / 2 : size;
            current = drawRgb(current, next);
            currentSide = next;
        } while (currentSide != size);
        return current;
    }

    private static BufferedImage drawRgb(BufferedImage source, int side) {
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, side, side);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, side, side, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
