package dev.vitcap.data;

import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * The memory a JPEG's decoder needs whatever part of the image is read. libjpeg (inside the JDK's
 * JPEG reader, which TwelveMonkeys' reader drives) decodes a JPEG whose first scan does not carry
 * the whole picture (a progressive JPEG, or one with a scan per component) from a buffer of every DCT
 * coefficient of the image, two bytes each, outside the Java heap: 3 bytes a pixel for 4:2:0 colour,
 * 6 for 4:4:4. Other JPEGs are decoded a band of rows at a time. The frame and first scan headers are
 * read from ImageIO's native JPEG metadata, as the reader itself parsed them.
 */
final class JpegCoefficients {
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";
    /** When the headers cannot be read: three components at full resolution, scans of part of the picture. */
    private static final int WORST_BYTES_PER_PIXEL = 6;

    private JpegCoefficients() {
    }

    /** The bytes of the coefficient buffer a width × height JPEG needs, 0 when it needs none; {@code metadata} null when unreadable. */
    static long bufferBytes(IIOMetadata metadata, long width, long height) {
        IIOMetadataNode tree = tree(metadata);
        Node frame = tree == null ? null : tree.getElementsByTagName("sof").item(0);
        if (frame == null) return WORST_BYTES_PER_PIXEL * width * height;
        Node firstScan = tree.getElementsByTagName("sos").item(0);
        boolean whole = number(frame, "process") == 2
                || firstScan != null && number(firstScan, "numScanComponents") < number(frame, "numFrameComponents");
        if (!whole) return 0;
        int hMax = 1, vMax = 1;
        for (Node c = frame.getFirstChild(); c != null; c = c.getNextSibling()) {
            hMax = Math.max(hMax, number(c, "HsamplingFactor"));
            vMax = Math.max(vMax, number(c, "VsamplingFactor"));
        }
        long bytes = 0;
        for (Node c = frame.getFirstChild(); c != null; c = c.getNextSibling()) {
            long across = blocks(width * number(c, "HsamplingFactor"), hMax), down = blocks(height * number(c, "VsamplingFactor"), vMax);
            bytes += across * down * 64 * 2;
        }
        return bytes;
    }

    private static IIOMetadataNode tree(IIOMetadata metadata) {
        try {
            return metadata == null ? null : (IIOMetadataNode) metadata.getAsTree(FORMAT);
        } catch (RuntimeException e) {
            return null; // not JPEG metadata after all, or a tree the reader could not build
        }
    }

    /** The 8 × 8 blocks a component of {@code scaled} / {@code max} samples spans. */
    private static long blocks(long scaled, int max) {
        return ((scaled + max - 1) / max + 7) / 8;
    }

    private static int number(Node node, String attribute) {
        Node value = node.getAttributes() == null ? null : node.getAttributes().getNamedItem(attribute);
        return value == null ? 1 : Integer.parseInt(value.getNodeValue());
    }
}
