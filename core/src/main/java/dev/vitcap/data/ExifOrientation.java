package dev.vitcap.data;

import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import org.w3c.dom.Node;

/**
 * How a camera stored an image relative to how it is shown: the EXIF Orientation tag (1 to 8). The
 * TwelveMonkeys JPEG reader already parses EXIF and reports the tag in ImageIO's standard metadata
 * as {@code Dimension/ImageOrientation}, one name per tag value; reading it there avoids a second
 * parser (metadata-extractor, or a hand-written APP1 reader) for the same bytes.
 */
enum ExifOrientation {
    NORMAL("Normal"),
    FLIP_H("FlipH"),
    ROTATE_180("Rotate180"),
    FLIP_V("FlipV"),
    TRANSPOSE("FlipVRotate90"),
    ROTATE_CW("Rotate270"),
    TRANSVERSE("FlipHRotate90"),
    ROTATE_CCW("Rotate90");

    private final String standardName;

    ExifOrientation(String standardName) {
        this.standardName = standardName;
    }

    /** The orientation an image reader reports; NORMAL for formats and files that state none. */
    static ExifOrientation of(IIOMetadata metadata) {
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) return NORMAL;
        Node dimension = child(metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName), "Dimension");
        Node orientation = dimension == null ? null : child(dimension, "ImageOrientation");
        Node value = orientation == null ? null : orientation.getAttributes().getNamedItem("value");
        if (value == null) return NORMAL;
        for (ExifOrientation o : values()) {
            if (o.standardName.equals(value.getNodeValue())) return o;
        }
        return NORMAL;
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) return n;
        }
        return null;
    }

    /** The stored pixel of a square of side {@code size} that is shown at column x, row y. */
    int sourceIndex(int x, int y, int size) {
        int n = size - 1;
        return switch (this) {
            case NORMAL -> y * size + x;
            case FLIP_H -> y * size + (n - x);
            case ROTATE_180 -> (n - y) * size + (n - x);
            case FLIP_V -> (n - y) * size + x;
            case TRANSPOSE -> x * size + y;
            case ROTATE_CW -> (n - x) * size + y;
            case TRANSVERSE -> (n - x) * size + (n - y);
            case ROTATE_CCW -> x * size + (n - y);
        };
    }
}
