package dev.vitcap.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images over the {@link ImageLimits} are refused from their headers, and large ones within them decode in little memory. */
class ImageLimitsTest {
    private static final int SIZE = 224;

    @TempDir
    Path dir;

    /** The bytes the calling thread allocates on the heap while {@code decode} runs, which is deterministic enough to bound. */
    private static long allocated(ThrowingSupplier<byte[]> decode) throws Throwable {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        decode.get();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static String refusal(ImagePreprocessor preprocessor, byte[] image) {
        return assertThrows(ImageTooLargeException.class, () -> preprocessor.chw8(image, "upload")).getMessage();
    }

    @Test
    void aPngOfBillionsOfPixelsIsRefusedFromItsHeader() throws Throwable {
        // 3 MB of valid PNG that inflates to 46000x46000: a whole decode took 4.9 GB and 18 s.
        Path bomb = TestImages.blackPng(46_000, 46_000, dir.resolve("bomb.png"));
        ImagePreprocessor preprocessor = new ImagePreprocessor(SIZE);
        long start = System.nanoTime();
        long bytes = allocated(() -> {
            UnreadableImageException e = assertThrows(ImageTooLargeException.class, () -> preprocessor.chw8(bomb));
            assertEquals(bomb + ": the image is 46000x46000 pixels, over the limit of 178956970", e.getMessage());
            return null;
        });
        assertTrue(bytes < 8 << 20, bytes + " bytes allocated");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused quickly");
    }

    @Test
    void largeImagesWithinTheLimitsDecodeInMemoryNearTheOutput() throws Throwable {
        // A whole decode took 0.94 GB for the PNG (20000x20000, 820 KB) and 1.06 GB for the JPEG
        // (12000x12000, 2.2 MB). Read subsampled, the image held is under (4 x 224)^2 pixels, 3.2 MB.
        Path png = TestImages.blackPng(20_000, 20_000, dir.resolve("20000.png"));
        ImagePreprocessor generous = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxPixels(400_000_000));
        byte[][] out = new byte[1][];
        long pngBytes = allocated(() -> out[0] = generous.chw8(png));
        assertTrue(pngBytes < 16 << 20, pngBytes + " bytes allocated for the PNG");
        for (byte b : out[0]) assertEquals(0, b);

        Path jpeg = TestImages.flatJpeg(12_000, 12_000, 0x336699, dir.resolve("12000.jpg"));
        long jpegBytes = allocated(() -> out[0] = new ImagePreprocessor(SIZE).chw8(jpeg));
        assertTrue(jpegBytes < 16 << 20, jpegBytes + " bytes allocated for the JPEG");
        assertTrue(TestImages.distance(TestImages.rgb(out[0], SIZE, SIZE / 2, SIZE / 2), 0x336699) <= 2);
    }

    @Test
    void aProgressiveJpegIsRefusedWhenItsWholeBufferIsOverTheLimit() throws IOException {
        // libjpeg keeps every coefficient of a progressive JPEG: 1000x1000 at 4:2:0 is 125x125 luma
        // blocks and twice 63x63 chroma blocks of 64 two-byte values, 3016064 bytes.
        BufferedImage picture = TestImages.photo(1000, 1000, 3);
        ImagePreprocessor limited = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxDecoderBytes(3_000_000));
        assertEquals("upload: decoding it takes 3016064 bytes (a progressive JPEG is decoded whole), over the limit of 3000000",
                refusal(limited, jpeg(picture, true)));
        assertEquals(3 * SIZE * SIZE, limited.chw8(jpeg(picture, false), "upload").length, "a baseline JPEG is decoded a band at a time");
        assertEquals(3 * SIZE * SIZE, new ImagePreprocessor(SIZE).chw8(jpeg(picture, true), "upload").length);
    }

    private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @Test
    void pngTextThatInflatesPastTheLimitIsRefused() throws IOException {
        // The JDK's PNG reader inflates compressed text whole: before the limit, 1.5 MB of zTXt took 4.7 GB.
        byte[] png = Files.readAllBytes(TestImages.write(TestImages.photo(40, 30, 1), "png", dir.resolve("small.png")));
        ImagePreprocessor limited = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxTextBytes(1_000_000));
        byte[] zTxt = concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), TestImages.deflatedZeros(2_000_000));
        byte[] iTxt = concat("Comment\0\1\0en\0a comment\0".getBytes(StandardCharsets.ISO_8859_1), TestImages.deflatedZeros(2_000_000));
        String over = "upload: its compressed text inflates to over 1000000 bytes, the limit";
        assertEquals(over, refusal(limited, TestImages.withChunk(png, "zTXt", zTxt)));
        assertEquals(over, refusal(limited, TestImages.withChunk(png, "iTXt", iTxt)));
        // Text under the limit, and uncompressed text (bounded by the file's size), are read as ever.
        byte[] smallText = concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), TestImages.deflatedZeros(500_000));
        assertEquals(3 * SIZE * SIZE, limited.chw8(TestImages.withChunk(png, "zTXt", smallText), "upload").length);
        byte[] plain = concat("Comment\0\0\0en\0a comment\0".getBytes(StandardCharsets.ISO_8859_1), new byte[2_000_000]);
        assertEquals(3 * SIZE * SIZE, limited.chw8(TestImages.withChunk(png, "iTXt", plain), "upload").length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void longSidesAndLargeFilesAreRefused() throws IOException {
        Path strip = TestImages.write(TestImages.photo(300, 20, 2), "png", dir.resolve("strip.png"));
        ImagePreprocessor narrow = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxSide(256));
        assertEquals(strip + ": the image is 300x20 pixels, over the limit of 256 on a side",
                assertThrows(ImageTooLargeException.class, () -> narrow.chw8(strip)).getMessage());

        long length = Files.size(strip);
        ImagePreprocessor small = new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxFileBytes(length - 1));
        assertEquals(strip + ": the file is " + length + " bytes, over the limit of " + (length - 1),
                assertThrows(ImageTooLargeException.class, () -> small.chw8(strip)).getMessage());
        assertEquals("upload: the file is " + length + " bytes, over the limit of " + (length - 1), refusal(small, Files.readAllBytes(strip)));
        assertEquals(3 * SIZE * SIZE, new ImagePreprocessor(SIZE, ImageLimits.defaults().withMaxFileBytes(length)).chw8(strip).length);
    }
}
