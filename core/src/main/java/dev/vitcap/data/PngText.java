package dev.vitcap.data;

import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Measures a PNG's compressed text (zTXt chunks and compressed iTXt chunks) before the JDK's PNG reader
 * sees it. That reader inflates every such chunk into memory whole (for palette images even when told
 * to ignore metadata), and text deflates a thousandfold: a 1.5 MB PNG took 4.7 GB. Here each chunk is
 * inflated through a small buffer, keeping nothing, and counting stops past the limit. The chunks are
 * walked by their length fields, as the reader itself walks them.
 */
final class PngText {
    private static final int IEND = 0x49454e44;
    private static final int ZTXT = 0x7a545874;
    private static final int ITXT = 0x69545874;
    /** A keyword is 1 to 79 bytes and a NUL; the JDK's reader refuses a longer one. */
    private static final int MAX_KEYWORD = 80;

    private PngText() {
    }

    /**
     * The bytes the compressed text of the PNG at the stream's position inflates to, counted until it
     * passes {@code limit}; the stream is left where it was. A chunk that runs past the end of the
     * stream throws as reading past the end does.
     */
    static long inflatedBytes(ImageInputStream in, long limit) throws IOException {
        long start = in.getStreamPosition();
        Inflater inflater = new Inflater();
        try {
            in.skipBytes(8); // the signature
            long total = 0;
            while (total <= limit) {
                int length = in.readInt();
                int type = in.readInt();
                if (type == IEND || length < 0) break; // a negative length is the reader's to refuse
                long next = in.getStreamPosition() + length + 4; // the data, then its CRC
                if (type == ZTXT || type == ITXT) total += inflated(in, type, length, limit - total, inflater);
                in.seek(next);
            }
            return total;
        } finally {
            inflater.end();
            in.seek(start);
        }
    }

    /** What one text chunk's compressed text inflates to, up to just past {@code budget}; 0 for uncompressed text. */
    private static long inflated(ImageInputStream in, int type, int length, long budget, Inflater inflater) throws IOException {
        long end = in.getStreamPosition() + length;
        if (!skipString(in, end, MAX_KEYWORD)) return 0; // keyword
        if (type == ITXT) {
            boolean compressed = in.readUnsignedByte() == 1;
            in.readUnsignedByte(); // compression method
            // The language tag is as short as a keyword; the translated keyword may fill the chunk.
            if (!compressed || !skipString(in, end, MAX_KEYWORD) || !skipString(in, end, Long.MAX_VALUE)) return 0;
        } else {
            in.readUnsignedByte(); // compression method
        }
        long left = end - in.getStreamPosition();
        inflater.reset();
        byte[] input = new byte[8192];
        byte[] output = new byte[65536];
        long count = 0;
        try {
            while (count <= budget && !inflater.finished()) {
                if (inflater.needsInput()) {
                    if (left <= 0) break;
                    int n = (int) Math.min(input.length, left);
                    in.readFully(input, 0, n);
                    left -= n;
                    inflater.setInput(input, 0, n);
                }
                int n = inflater.inflate(output);
                if (n == 0 && !inflater.needsInput()) break; // wants a dictionary: the reader will fail on it
                count += n;
            }
        } catch (DataFormatException e) {
            // Not deflate data: the reader reports it when it gets there.
        }
        return count;
    }

    /** Moves past a NUL-terminated string of at most {@code max} bytes that ends before {@code end}; false when there is none. */
    private static boolean skipString(ImageInputStream in, long end, long max) throws IOException {
        byte[] buffer = new byte[256];
        long limit = in.getStreamPosition() + Math.min(max, end - in.getStreamPosition());
        for (long at = in.getStreamPosition(); at < limit; at = in.getStreamPosition()) {
            int n = (int) Math.min(buffer.length, limit - at);
            in.readFully(buffer, 0, n);
            for (int i = 0; i < n; i++) {
                if (buffer[i] == 0) {
                    in.seek(at + i + 1);
                    return true;
                }
            }
        }
        return false;
    }
}
