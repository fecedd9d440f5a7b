package dev.vitcap.data;

import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;

/**
 * An image stream over another that notes whether a reader ran into its end. A decoder that did met
 * a file cut short, and says so in its own words (an end-of-file exception, "Invalid block length",
 * "Error reading PNG metadata", a JPEG warning) or not at all (BMP's reader fills what is missing
 * with black), so the stream is the one place that tells a truncated image for every format.
 */
final class EndAwareStream extends ImageInputStreamImpl {
    private final ImageInputStream in;
    private boolean reachedEnd;
    private boolean askedPastEnd;

    EndAwareStream(ImageInputStream in) {
        this.in = in;
    }

    /** Whether a read got fewer bytes than it asked for: it reached the end. */
    boolean reachedEnd() {
        return reachedEnd;
    }

    /**
     * Whether a read got no byte at all. A decoder that reads ahead in blocks (JPEG's) reaches the end
     * of every file; one that asks again after that needed bytes that are not there.
     */
    boolean askedPastEnd() {
        return askedPastEnd;
    }

    @Override
    public int read() throws IOException {
        bitOffset = 0;
        int b = in.read();
        if (b < 0) reachedEnd = askedPastEnd = true;
        else streamPos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        bitOffset = 0;
        int n = in.read(b, off, len);
        if (n < 0) reachedEnd = askedPastEnd = true;
        else streamPos += n;
        if (n < len) reachedEnd = true;
        return n;
    }

    @Override
    public long length() {
        try {
            return in.length();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void seek(long pos) throws IOException {
        super.seek(pos);
        in.seek(pos);
    }

    @Override
    public void flushBefore(long pos) throws IOException {
        super.flushBefore(pos);
        in.flushBefore(pos);
    }

    @Override
    public void close() throws IOException {
        super.close();
        in.close();
    }
}
