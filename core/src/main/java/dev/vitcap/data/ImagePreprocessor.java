package dev.vitcap.data;

import dev.vitcap.io.Missing;
import dev.vitcap.settings.Range;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Turns an image file into the square RGB input of the encoder: decoded with ImageIO (JPEG through
 * the TwelveMonkeys plugin, so CMYK and YCCK JPEGs work; PNG, BMP, GIF's first frame), turned upright
 * by its EXIF orientation, made RGB (grey and palette expanded, CMYK converted, transparency
 * composited on white, the background of most product shots and logos), cut to its centre square and
 * scaled to {@code size} pixels, giving uint8 CHW for the cache. Cropping the centre square first and
 * then scaling it equals scaling the short side to {@code size} and cropping the centre, at less cost.
 * Images whose header claims more pixels than the budget are refused before they are decoded.
 * Thread-safe: every call uses its own reader.
 */
public final class ImagePreprocessor {
    /** The pixel budget unless one is given: Pillow's limit, above which it refuses an image as a decompression bomb. */
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

    /**
     * Sides of the square input, in pixels: up to the largest input of timm's ViTs (SAM's encoder, 1024). Past it a
     * cache row is over 3 MB an image (COCO's cache over 370 GB) and a ViT with 16-pixel patches sees over 4096 tokens.
     */
    public static final Range SIZE = Range.between(1, 1024);

    private final int size;
    private final long maxPixels;

    public ImagePreprocessor(int size) {
        this(size, DEFAULT_MAX_PIXELS);
    }

    /** Refuses, with {@link ImageTooLargeException}, images whose header claims more than {@code maxPixels} pixels. */
    public ImagePreprocessor(int size, long maxPixels) {
        SIZE.check("image size", size);
        if (maxPixels < 1) throw new IllegalArgumentException("the pixel budget must be positive, got " + maxPixels);
        this.size = size;
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
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
        return decode(file, file.toString(), () -> new FileImageInputStream(file.toFile()));
    }

    private Decoded decode(Path file, String source, Source encoded) throws UnreadableImageException {
        try (ImageInputStream in = encoded.open()) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new UnreadableImageException(file, source, "not an image format vitcap reads (JPEG, PNG, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                return read(file, source, in, reader);
            } finally {
                reader.dispose();
            }
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IIOException e) {
            throw new UnreadableImageException(file, source, "corrupt image: " + DatasetException.firstLine(e.getMessage()));
        } catch (IOException e) {
            throw new UnreadableImageException(file, source, "cannot read: " + DatasetException.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // Image decoders answer some garbage with runtime exceptions (index out of bounds and the like);
            // that is one bad file, and must not end a run over a hundred thousand.
            throw new UnreadableImageException(file, source, "corrupt image: " + e);
        }
    }

    private Decoded read(Path file, String source, ImageInputStream in, ImageReader reader) throws IOException {
        List<String> damage = new ArrayList<>();
        // libjpeg only warns when the data stops early and fills the rest with grey; such an image
        // would teach the model grey blocks, so the warning makes it unreadable. Other warnings
        // (stray bytes between markers, odd ICC profiles) leave the picture whole and are let pass.
        reader.addIIOReadWarningListener((src, warning) -> {
            if (warning.toLowerCase(Locale.ROOT).contains("premature end")) damage.add(warning);
        });
        reader.setInput(in, false, false);
        // The size comes from the header, before any pixel is decoded: a small file claiming a huge
        // image is refused without allocating it.
        long width = reader.getWidth(0), height = reader.getHeight(0);
        if (width < 1 || height < 1) throw new UnreadableImageException(file, source, "image has no pixels");
        if (width * height > maxPixels) throw new ImageTooLargeException(file, source, width, height, maxPixels);
        BufferedImage image = reader.read(0);
        if (!damage.isEmpty()) throw new UnreadableImageException(file, source, "truncated image: " + damage.get(0));
        if (image.getWidth() < 1 || image.getHeight() < 1) throw new UnreadableImageException(file, source, "image has no pixels");
        return new Decoded(image, orientation(reader));
    }

    /** The EXIF orientation; a broken EXIF block loses only the orientation, as the pixels decoded whole. */
    private static ExifOrientation orientation(ImageReader reader) {
        try {
            return ExifOrientation.of(reader.getImageMetadata(0));
        } catch (IOException | RuntimeException e) {
            return ExifOrientation.NORMAL;
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
