package dev.vitcap.app;

import dev.vitcap.caption.Caption;
import dev.vitcap.io.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the decoder looked for each word: each word's attention over the patch grid drawn as a heat
 * map over the image as the model saw it, one panel per word, in one PNG.
 */
final class AttentionMaps {
    private static final int SCALE = 3, LABEL = 18;

    private AttentionMaps() {
    }

    /** @param pixels the image as the model saw it, uint8 [3, size, size] */
    static void write(Caption caption, byte[] pixels, int size, Path png) throws IOException {
        if (!caption.hasAttention()) throw new IllegalArgumentException("this checkpoint's decoder (show-and-tell) has no attention to draw");
        int words = caption.words().size(), side = size * SCALE, columns = Math.max(1, Math.min(6, words)), rows = Math.max(1, (words + columns - 1) / columns);
        BufferedImage out = new BufferedImage(columns * side, rows * (side + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        BufferedImage base = rgb(pixels, size);
        for (int i = 0; i < words; i++) {
            int x = (i % columns) * side, y = (i / columns) * (side + LABEL);
            g.drawImage(heat(base, caption, i), x, y, side, side, null);
            g.setColor(Color.BLACK);
            g.drawString(caption.words().get(i), x + 4, y + side + 13);
        }
        g.dispose();
        AtomicFiles.writePng(png, out);
    }

    private static BufferedImage rgb(byte[] chw, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            img.setRGB(p % size, p / size, (chw[p] & 0xff) << 16 | (chw[p + plane] & 0xff) << 8 | (chw[p + 2 * plane] & 0xff));
        }
        return img;
    }

    /** The image dimmed, with each patch brightened in red by its share of the word's attention (scaled to the word's largest). */
    private static BufferedImage heat(BufferedImage base, Caption caption, int word) {
        int size = base.getWidth(), rows = caption.gridRows(), cols = caption.gridCols();
        float max = 0;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) max = Math.max(max, caption.attention(word, r, c));
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float w = max > 0 ? caption.attention(word, y * rows / size, x * cols / size) / max : 0;
                int c = base.getRGB(x, y);
                int r = (int) (((c >> 16) & 0xff) * 0.4 + 153 * w), gr = (int) (((c >> 8) & 0xff) * 0.4), b = (int) ((c & 0xff) * 0.4);
                out.setRGB(x, y, Math.min(255, r) << 16 | gr << 8 | b);
            }
        }
        return out;
    }

    static String fileName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "-attention.png";
    }
}
