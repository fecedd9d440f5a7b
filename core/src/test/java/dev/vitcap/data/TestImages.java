package dev.vitcap.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Small images written by the tests themselves. */
public final class TestImages {
    static final int RED = 0xFF0000;
    static final int BLUE = 0x0000FF;
    static final int GREEN = 0x00FF00;

    private TestImages() {
    }

    /** An image split into a left and a right colour at the middle column. */
    static BufferedImage leftRight(int width, int height, int type, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    static BufferedImage leftRight(int width, int height) {
        return leftRight(width, height, BufferedImage.TYPE_INT_RGB, Color.RED, Color.BLUE);
    }

    /** Pixels of a seeded pattern that no codec compresses to nothing, so a truncated copy lacks real data. */
    static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(0x1000000));
        }
        return image;
    }

    static Path write(BufferedImage image, String format, Path file) throws IOException {
        if (!ImageIO.write(image, format, file.toFile())) throw new IOException("no " + format + " writer for " + image);
        return file;
    }

    static byte[] jpegBytes(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, null));
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A JPEG with an EXIF APP1 segment carrying only the Orientation tag, placed right after SOI:
     * "Exif\0\0", a big-endian TIFF header, one IFD of one SHORT entry (tag 0x0112), no next IFD.
     */
    static Path jpegWithOrientation(BufferedImage image, int orientation, Path file) throws IOException {
        byte[] jpeg = jpegBytes(image);
        ByteBuffer app1 = ByteBuffer.allocate(2 + 2 + 6 + 8 + 2 + 12 + 4);
        app1.putShort((short) 0xFFE1).putShort((short) (app1.capacity() - 2));
        app1.put(new byte[]{'E', 'x', 'i', 'f', 0, 0});
        app1.put(new byte[]{'M', 'M', 0, 42}).putInt(8);
        app1.putShort((short) 1);
        app1.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        app1.putInt(0);
        byte[] out = new byte[jpeg.length + app1.capacity()];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, app1.capacity());
        System.arraycopy(jpeg, 2, out, 2 + app1.capacity(), jpeg.length - 2);
        return Files.write(file, out);
    }

    /** The number of colour components in a JPEG's baseline frame header (SOF0), found by walking the segments. */
    static int jpegComponents(byte[] jpeg) {
        for (int i = 2; i + 9 < jpeg.length; i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF))) {
            if ((jpeg[i + 1] & 0xFF) == 0xC0) return jpeg[i + 9];
        }
        throw new IllegalArgumentException("no SOF0 segment");
    }

    /** The first {@code fraction} of a file's bytes, as a download cut short leaves it. */
    static Path truncated(Path source, double fraction, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        return Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
    }

    /** The RGB of pixel (x, y) of a uint8 CHW image of side {@code size}. */
    static int rgb(byte[] chw, int size, int x, int y) {
        int plane = size * size;
        int i = y * size + x;
        return (chw[i] & 0xFF) << 16 | (chw[i + plane] & 0xFF) << 8 | (chw[i + 2 * plane] & 0xFF);
    }

    /** Largest difference of one channel between two RGB values. */
    static int distance(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) d = Math.max(d, Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF)));
        return d;
    }

    /**
     * A valid 1x1 PNG whose header claims {@code width} x {@code height} pixels (the CRC fixed up, so
     * only the size lies): a decompression bomb in a few dozen bytes.
     */
    public static byte[] pngClaiming(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", out);
        java.nio.ByteBuffer png = java.nio.ByteBuffer.wrap(out.toByteArray());
        int ihdr = 8; // after the signature: length (4), "IHDR" (4), width (4), height (4), ...
        png.putInt(ihdr + 8, width).putInt(ihdr + 12, height);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png.array(), ihdr + 4, 4 + 13);
        png.putInt(ihdr + 8 + 13, (int) crc.getValue());
        return png.array();
    }

    /**
     * A black 8-bit grey PNG of {@code width} x {@code height} written in a few MB whatever its size: one
     * row is deflated once and its compressed bytes repeated for every row, which is valid because a
     * block flushed from a fresh compressor refers to no byte before it; the zlib checksum of all-zero
     * data is known in closed form. A decompression bomb of billions of pixels in a second.
     */
    public static Path blackPng(int width, int height, Path file) throws IOException {
        byte[] row = new byte[1 + width]; // filter type 0 (none), then zero pixels
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(row);
        byte[] buffer = new byte[row.length + 64];
        int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        boolean whole = deflater.needsInput() && length < buffer.length;
        deflater.end();
        if (!whole) throw new IllegalStateException("a row did not deflate in one call");
        byte[] rowData = Arrays.copyOf(buffer, length);
        long raw = (long) height * row.length;
        byte[] header = {0x78, 0x01}; // zlib: deflate with a 32 KB window, no dictionary
        byte[] trailer = ByteBuffer.allocate(6).put((byte) 0x03).put((byte) 0) // an empty final block
                .putInt((int) (raw % 65521) << 16 | 1).array(); // Adler-32 of zeros: a = 1, b = count mod 65521
        long idatLength = header.length + (long) height * rowData.length + trailer.length;
        if (idatLength > Integer.MAX_VALUE) throw new IllegalArgumentException("too large for one IDAT chunk");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).array()); // grey, no interlace
            CRC32 crc = new CRC32();
            out.writeInt((int) idatLength);
            byte[] type = "IDAT".getBytes(StandardCharsets.US_ASCII);
            out.write(type);
            crc.update(type);
            out.write(header);
            crc.update(header);
            for (int y = 0; y < height; y++) {
                out.write(rowData);
                crc.update(rowData);
            }
            out.write(trailer);
            crc.update(trailer);
            out.writeInt((int) crc.getValue());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** A PNG with one more chunk, of {@code type} and {@code data}, right after its header (IHDR). */
    static byte[] withChunk(byte[] png, String type, byte[] data) throws IOException {
        int afterHeader = 8 + 4 + 4 + 13 + 4; // signature, IHDR's length, type, data and CRC
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + data.length + 12);
        out.write(png, 0, afterHeader);
        chunk(new DataOutputStream(out), type, data);
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }

    /** {@code bytes} zero bytes, zlib-compressed as PNG's text chunks hold them: a thousandth of their size. */
    static byte[] deflatedZeros(int bytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(new byte[bytes]);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) out.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    /**
     * A JPEG of {@code width} x {@code height} pixels all of colour {@code rgb}, written without holding
     * the image: every pixel of its raster is the same three bytes (pixel and row stride 0), so a
     * 12000x12000 JPEG takes a few hundred KB of memory to write.
     */
    static Path flatJpeg(int width, int height, int rgb, Path file) throws IOException {
        DataBufferByte one = new DataBufferByte(new byte[]{(byte) (rgb >> 16), (byte) (rgb >> 8), (byte) rgb}, 3);
        WritableRaster raster = Raster.createWritableRaster(new ComponentSampleModel(DataBuffer.TYPE_BYTE, width, height, 0, 0, new int[]{0, 1, 2}), one, null);
        ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return write(new BufferedImage(model, raster, false, null), "jpeg", file);
    }

    /**
     * Something like a photograph, {@code width} x {@code height}: a vertical gradient, a dozen soft-edged
     * discs of random colours and sizes, and a little sensor-like noise (±6 levels), from {@code seed}.
     */
    static BufferedImage photo(int width, int height, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(random.nextInt(0x1000000)), 0, height, new Color(random.nextInt(0x1000000))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            int d = Math.min(width, height) / 8 + random.nextInt(Math.min(width, height) / 3);
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillOval(random.nextInt(width) - d / 2, random.nextInt(height) - d / 2, d, d);
        }
        g.dispose();
        int[] rgb = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i++) {
            int n = random.nextInt(13) - 6, p = rgb[i];
            rgb[i] = clamp((p >> 16 & 0xFF) + n) << 16 | clamp((p >> 8 & 0xFF) + n) << 8 | clamp((p & 0xFF) + n);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** A picture of a few coloured discs on a coloured ground, {@code minSide} to twice that on a side, drawn from {@code rng}. */
    public static BufferedImage discs(java.util.Random rng, int minSide) {
        BufferedImage img = new BufferedImage(minSide + rng.nextInt(minSide), minSide + rng.nextInt(minSide), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rng.nextInt(0x1000000)));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int s = 0; s < 4; s++) {
            g.setColor(new Color(rng.nextInt(0x1000000)));
            g.fillOval(rng.nextInt(img.getWidth()), rng.nextInt(img.getHeight()), minSide / 6 + rng.nextInt(minSide / 3), minSide / 6 + rng.nextInt(minSide / 3));
        }
        g.dispose();
        return img;
    }
}
