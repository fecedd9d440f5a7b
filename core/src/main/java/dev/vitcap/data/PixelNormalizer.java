package dev.vitcap.data;

/**
 * uint8 CHW pixels to the encoder's floats, {@code (v / 255 - mean[c]) / std[c]}, through a
 * 256-entry table per channel: one table load per value, the cheapest step of reading a cached batch.
 */
public final class PixelNormalizer {
    private final float[][] table = new float[3][256];

    public PixelNormalizer(float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException("mean and std need 3 channels");
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0)) throw new IllegalArgumentException("std[" + c + "] must be positive, got " + std[c]);
            for (int v = 0; v < 256; v++) table[c][v] = (v / 255f - mean[c]) / std[c];
        }
    }

    /** Normalises one image of {@code plane} pixels per channel from {@code src[from..]} into {@code dst[to..]}. */
    public void apply(byte[] src, int from, float[] dst, int to, int plane) {
        for (int c = 0; c < 3; c++) {
            float[] t = table[c];
            int s = from + c * plane;
            int d = to + c * plane;
            for (int i = 0; i < plane; i++) dst[d + i] = t[src[s + i] & 0xFF];
        }
    }
}
