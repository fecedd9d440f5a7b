package dev.vitcap.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import com.twelvemonkeys.imageio.color.ColorSpaces;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.vitcap.data.TestImages.BLUE;
import static dev.vitcap.data.TestImages.GREEN;
import static dev.vitcap.data.TestImages.RED;
import static dev.vitcap.data.TestImages.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePreprocessorTest {
    private static final int SIZE = 16;
    private static final int WHITE = 0xFFFFFF;

    @TempDir
    Path dir;

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(SIZE);

    /** Every pixel of columns [x0, x1) and rows [y0, y1) is within {@code tolerance} of {@code expected}. */
    private static void assertRegion(byte[] chw, int x0, int x1, int y0, int y1, int expected, int tolerance) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int actual = rgb(chw, SIZE, x, y);
                assertTrue(TestImages.distance(actual, expected) <= tolerance,
                        String.format("pixel (%d,%d) is %06x, expected %06x", x, y, actual, expected));
            }
        }
    }

    private static void assertLeftRight(byte[] chw, int left, int right, int tolerance) {
        assertRegion(chw, 0, SIZE / 2 - 1, 0, SIZE, left, tolerance);
        assertRegion(chw, SIZE / 2 + 1, SIZE, 0, SIZE, right, tolerance);
    }

    @Test
    void everyFormatKeepsTheHalvesOfAnImageAfterScaling() throws IOException {
        BufferedImage image = TestImages.leftRight(200, 200);
        for (String format : new String[]{"png", "bmp", "gif"}) {
            assertLeftRight(preprocessor.chw8(TestImages.write(image, format, dir.resolve("a." + format))), RED, BLUE, 0);
        }
        assertLeftRight(preprocessor.chw8(TestImages.write(image, "jpeg", dir.resolve("a.jpg"))), RED, BLUE, 24);
    }

    @Test
    void landscapeAndPortraitImagesKeepTheirCentreSquare() throws IOException {
        BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 300; x++) wide.setRGB(x, y, x < 100 ? GREEN : x < 200 ? RED : BLUE);
        }
        assertRegion(preprocessor.chw8(TestImages.write(wide, "png", dir.resolve("wide.png"))), 0, SIZE, 0, SIZE, RED, 0);
        BufferedImage tall = TestImages.leftRight(100, 301, BufferedImage.TYPE_INT_RGB, Color.GREEN, Color.BLUE);
        assertLeftRight(preprocessor.chw8(TestImages.write(tall, "png", dir.resolve("tall.png"))), GREEN, BLUE, 0);
    }

    @Test
    void downscalingAveragesRatherThanPicksPixels() {
        // One white column in four: the area average is a quarter grey (64); a nearest-neighbour or a
        // single bilinear step samples one or two source columns per output and gives 0, 127 or 255.
        // In memory, as a file this large (16 times the size) is read subsampled first (tested below).
        BufferedImage stripes = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) stripes.setRGB(x, y, x % 4 == 0 ? WHITE : 0);
        }
        assertRegion(preprocessor.chw8(stripes), 0, SIZE, 0, SIZE, 0x404040, 2);
    }

    @Test
    void smallImagesAreScaledUp() throws IOException {
        byte[] chw = preprocessor.chw8(TestImages.write(TestImages.leftRight(6, 6), "png", dir.resolve("small.png")));
        assertRegion(chw, 0, 4, 0, SIZE, RED, 0);
        assertRegion(chw, SIZE - 4, SIZE, 0, SIZE, BLUE, 0);
    }

    @Test
    void greyPaletteAndTransparentImagesBecomeRgb() throws IOException {
        BufferedImage grey = TestImages.leftRight(64, 64, BufferedImage.TYPE_BYTE_GRAY, new Color(100, 100, 100), new Color(200, 200, 200));
        assertLeftRight(preprocessor.chw8(TestImages.write(grey, "png", dir.resolve("grey.png"))), 0x646464, 0xC8C8C8, 0);

        IndexColorModel palette = new IndexColorModel(8, 2, new byte[]{(byte) 255, 0}, new byte[]{0, (byte) 255}, new byte[]{0, 0});
        BufferedImage indexed = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) indexed.getRaster().setSample(x, y, 0, x < 32 ? 0 : 1);
        }
        assertLeftRight(preprocessor.chw8(TestImages.write(indexed, "png", dir.resolve("palette.png"))), RED, GREEN, 0);
        assertLeftRight(preprocessor.chw8(TestImages.write(indexed, "gif", dir.resolve("palette.gif"))), RED, GREEN, 0);

        BufferedImage alpha = TestImages.leftRight(64, 64, BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 255, 0), Color.RED);
        assertLeftRight(preprocessor.chw8(TestImages.write(alpha, "png", dir.resolve("alpha.png"))), WHITE, RED, 0);
    }

    @Test
    void animatedGifsGiveTheirFirstFrame() throws IOException {
        Path file = dir.resolve("anim.gif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(TestImages.leftRight(32, 32), null, null), null);
            writer.writeToSequence(new IIOImage(TestImages.leftRight(32, 32, BufferedImage.TYPE_INT_RGB, Color.GREEN, Color.GREEN), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertLeftRight(preprocessor.chw8(file), RED, BLUE, 0);
    }

    @Test
    void exifOrientationTurnsTheImageUpright() throws IOException {
        BufferedImage stored = TestImages.leftRight(64, 64);
        int tolerance = 24;
        byte[] normal = preprocessor.chw8(TestImages.jpegWithOrientation(stored, 1, dir.resolve("o1.jpg")));
        assertLeftRight(normal, RED, BLUE, tolerance);
        byte[] clockwise = preprocessor.chw8(TestImages.jpegWithOrientation(stored, 6, dir.resolve("o6.jpg")));
        assertRegion(clockwise, 0, SIZE, 0, SIZE / 2 - 1, RED, tolerance);
        assertRegion(clockwise, 0, SIZE, SIZE / 2 + 1, SIZE, BLUE, tolerance);
        byte[] counterClockwise = preprocessor.chw8(TestImages.jpegWithOrientation(stored, 8, dir.resolve("o8.jpg")));
        assertRegion(counterClockwise, 0, SIZE, 0, SIZE / 2 - 1, BLUE, tolerance);
        assertRegion(counterClockwise, 0, SIZE, SIZE / 2 + 1, SIZE, RED, tolerance);
        assertLeftRight(preprocessor.chw8(TestImages.jpegWithOrientation(stored, 3, dir.resolve("o3.jpg"))), BLUE, RED, tolerance);
        assertLeftRight(preprocessor.chw8(TestImages.jpegWithOrientation(stored, 2, dir.resolve("o2.jpg"))), BLUE, RED, tolerance);
    }

    @Test
    void imagesUnderFourTimesTheSizeGiveExactlyAWholeDecode() throws IOException {
        // Below 4 x SIZE on the short side the centre square is read whole: the very pixels of decoding
        // the whole file and cropping, as before subsampling, so earlier caches and captions stand.
        int seed = 0;
        for (String format : new String[]{"png", "bmp", "gif", "jpeg"}) {
            for (int[] shape : new int[][]{{63, 63}, {101, 47}, {40, 63}, {9, 5}}) {
                Path file = TestImages.write(TestImages.photo(shape[0], shape[1], ++seed), format, dir.resolve(seed + "." + format));
                assertArrayEquals(preprocessor.chw8(ImageIO.read(file.toFile())), preprocessor.chw8(file), file.getFileName().toString());
            }
        }
    }

    @Test
    void subsampledReadsStayCloseToAWholeDecode() throws IOException {
        // At 64 px a 1200x900 picture is read 1 pixel in 7 (to 128 px, then averaged 2x2). Tolerance: a
        // mean under 3 levels in 255 and 99% of values within 32. Measured 1.7 to 2.4 and 17 to 25: the
        // difference is the noise and the disc edges that point samples do not average (a JPEG at
        // quality 75 differs from the PNG by 0.7, shifting the picture one pixel by 0.6); reading to the
        // size alone gave a mean of 4.4, so the bound fails if the averaging step is lost.
        ImagePreprocessor model = new ImagePreprocessor(64);
        for (String format : new String[]{"png", "jpeg"}) {
            Path file = TestImages.write(TestImages.photo(1200, 900, 7), format, dir.resolve("photo." + format));
            byte[] whole = model.chw8(ImageIO.read(file.toFile())), read = model.chw8(file);
            int[] histogram = new int[256];
            long sum = 0;
            for (int i = 0; i < read.length; i++) {
                int d = Math.abs((read[i] & 0xFF) - (whole[i] & 0xFF));
                histogram[d]++;
                sum += d;
            }
            int p99 = 0, covered = histogram[0];
            while (covered < 0.99 * read.length) covered += histogram[++p99];
            double mean = (double) sum / read.length;
            assertTrue(mean < 3 && p99 <= 32, format + ": mean difference " + mean + ", 99th percentile " + p99);
        }
    }

    @Test
    void exifOrientationHoldsForSubsampledReads() throws IOException {
        // Four coloured quadrants, 400x300, read 1 pixel in 9: each orientation must show the centre
        // square of the in-memory picture turned as the EXIF value says. The two rows and columns at
        // the quadrant borders are left out: there the subsampled and whole images legitimately differ.
        BufferedImage stored = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        int[] colours = {RED, GREEN, BLUE, 0xFFFF00};
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) stored.setRGB(x, y, colours[(y < 150 ? 0 : 2) + (x < 200 ? 0 : 1)]);
        }
        byte[] upright = preprocessor.chw8(stored);
        for (ExifOrientation o : ExifOrientation.values()) {
            byte[] read = preprocessor.chw8(TestImages.jpegWithOrientation(stored, o.ordinal() + 1, dir.resolve("q" + o + ".jpg")));
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    if (Math.abs(2 * x + 1 - SIZE) <= 2 || Math.abs(2 * y + 1 - SIZE) <= 2) continue;
                    int source = o.sourceIndex(x, y, SIZE);
                    int expected = rgb(upright, SIZE, source % SIZE, source / SIZE), actual = rgb(read, SIZE, x, y);
                    assertTrue(TestImages.distance(expected, actual) <= 24, String.format("%s (%d,%d): %06x, expected %06x", o, x, y, actual, expected));
                }
            }
        }
    }

    @Test
    void cmykJpegsAreConvertedToRgb() throws IOException {
        ColorSpace cmyk = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
        ComponentColorModel model = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(64, 64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) raster.setPixel(x, y, x < 32 ? new int[]{0, 255, 255, 0} : new int[]{255, 255, 0, 0});
        }
        Path file = TestImages.write(new BufferedImage(model, raster, false, null), "jpeg", dir.resolve("cmyk.jpg"));
        assertEquals(4, TestImages.jpegComponents(Files.readAllBytes(file)), "the test file is a four-channel JPEG");
        assertLeftRight(preprocessor.chw8(file), RED, BLUE, 48);
    }

    @Test
    void normalisedOutputUsesTheMeanAndStdPerChannel() throws IOException {
        Path file = TestImages.write(TestImages.leftRight(32, 32, BufferedImage.TYPE_INT_RGB, Color.RED, Color.RED), "png", dir.resolve("red.png"));
        float[] out = preprocessor.normalised(file, new PixelNormalizer(new float[]{0.5f, 0.25f, 0f}, new float[]{0.5f, 0.25f, 2f}));
        int plane = SIZE * SIZE;
        assertEquals(1f, out[0], 1e-6f);
        assertEquals(-1f, out[plane], 1e-6f);
        assertEquals(0f, out[2 * plane + plane - 1], 1e-6f);
    }

    private String failure(Path file) {
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> preprocessor.chw8(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        return e.reason();
    }

    @Test
    void unreadableFilesGiveOneClearReason() throws IOException {
        assertEquals("no such file", failure(dir.resolve("missing.jpg")));
        assertEquals("empty file (0 bytes)", failure(Files.createFile(dir.resolve("empty.jpg"))));
        assertEquals("not an image format vitcap reads (JPEG, PNG, BMP, GIF)",
                failure(Files.writeString(dir.resolve("text.jpg"), "this is not an image")));

        Path jpeg = TestImages.write(TestImages.noise(128, 128, 1), "jpeg", dir.resolve("noise.jpg"));
        assertTrue(failure(TestImages.truncated(jpeg, 0.5, dir.resolve("cut.jpg"))).startsWith("truncated image"));
        byte[] garbled = Files.readAllBytes(jpeg);
        for (int i = 2; i < 600; i++) garbled[i] = (byte) (i * 31);
        assertTrue(failure(Files.write(dir.resolve("garbled.jpg"), garbled)).startsWith("corrupt image"));

        // Compression 4 in a BMP's header: a JPEG inside, whose own reader would allocate the size the
        // header claims (here 2 GB) before any check of ours.
        byte[] bmp = Files.readAllBytes(TestImages.write(TestImages.noise(12, 9, 3), "bmp", dir.resolve("plain.bmp")));
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(30, 4).putInt(34, 0x7ffffff0);
        assertEquals("not an image format vitcap reads (a BMP holding a JPEG or PNG)", failure(Files.write(dir.resolve("jpeg-inside.bmp"), bmp)));
    }

    @Test
    void everyFormatCutShortIsCalledTruncated() throws IOException {
        // Cut in the header and in the pixels; the 128x96 image is read subsampled (step 3), which
        // reads the pixels another way than a whole decode.
        for (String format : new String[]{"png", "jpeg", "gif", "bmp"}) {
            byte[] whole = Files.readAllBytes(TestImages.write(TestImages.noise(128, 96, 2), format, dir.resolve("noise." + format)));
            for (int length : new int[]{20, whole.length / 10, whole.length / 2, whole.length * 9 / 10}) {
                Path cut = Files.write(dir.resolve("cut-" + length + "." + format), Arrays.copyOf(whole, length));
                assertEquals("truncated image: the data ends before the image does", failure(cut), format + " cut to " + length + " of " + whole.length + " bytes");
            }
        }
        // A BMP stores its top row last; the subsampled read skips that row, so a file missing only it
        // still gives every pixel it uses.
        Path bmp = dir.resolve("noise.bmp");
        byte[] whole = Files.readAllBytes(bmp);
        assertArrayEquals(preprocessor.chw8(bmp), preprocessor.chw8(Files.write(dir.resolve("top-row-cut.bmp"), Arrays.copyOf(whole, whole.length - 3 * 128))));
    }

    @Test
    void theSameFileGivesTheSameBytes() throws IOException {
        Path file = TestImages.write(TestImages.noise(97, 61, 3), "png", dir.resolve("n.png"));
        assertArrayEquals(preprocessor.chw8(file), preprocessor.chw8(file));
    }

    @Test
    void encodedBytesGiveWhatTheFileGives() throws IOException {
        Path file = TestImages.write(TestImages.noise(97, 61, 4), "png", dir.resolve("bytes.png"));
        assertArrayEquals(preprocessor.chw8(file), preprocessor.chw8(Files.readAllBytes(file), "upload"));
        UnreadableImageException e = assertThrows(UnreadableImageException.class, () -> preprocessor.chw8("not an image".getBytes(), "upload"));
        assertEquals("upload: not an image format vitcap reads (JPEG, PNG, BMP, GIF)", e.getMessage());
        assertEquals(null, e.file());
    }

    @Test
    void anImageClaimingTooManyPixelsIsRefusedFromItsHeader() throws IOException {
        byte[] bomb = TestImages.pngClaiming(100_000, 100_000);
        assertTrue(bomb.length < 100, "a tiny file: " + bomb.length + " bytes");
        ImagePreprocessor limited = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxPixels(40_000_000));
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> limited.chw8(bomb, "upload"));
        assertEquals("upload: the image is 100000x100000 pixels, over the limit of 40000000", e.getMessage());
        // The same budget lets an image at the limit through, and the default budget refuses the bomb too.
        assertEquals(3 * SIZE * SIZE, new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxPixels(200 * 200)).chw8(TestImages.write(TestImages.noise(200, 200, 5), "png", dir.resolve("at.png"))).length);
        assertThrows(ImageTooLargeException.class, () -> preprocessor.chw8(Files.write(dir.resolve("bomb.png"), bomb)));
    }
}
