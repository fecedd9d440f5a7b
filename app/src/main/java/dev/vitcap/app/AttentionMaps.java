package dev.vitcap.app;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.PassOptions;
import dev.vitcap.model.VitConfig;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the decoder looked for each word: the caption is run through the decoder once more,
 * teacher-forced, and each word's attention over the patch tokens is drawn as a heat map over the
 * image, one panel per word, in one PNG.
 */
final class AttentionMaps {
    private static final int SCALE = 3, LABEL = 18;

    private AttentionMaps() {
    }

    /** @param pixels the image as the model saw it, uint8 [3, size, size] */
    static void write(Captioner model, Vocabulary vocabulary, float[] image, byte[] pixels, int[] words, Path png) throws IOException {
        VitConfig vit = model.config.encoder();
        float[][] alphas = attention(model, image, words);
        int side = vit.imageHeight() * SCALE, columns = Math.min(6, words.length + 1), rows = (words.length + columns) / columns;
        BufferedImage out = new BufferedImage(columns * side, rows * (side + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        BufferedImage base = rgb(pixels, vit.imageHeight());
        for (int i = 0; i <= words.length; i++) {
            int x = (i % columns) * side, y = (i / columns) * (side + LABEL);
            g.drawImage(heat(base, alphas[i], vit), x, y, side, side, null);
            g.setColor(Color.BLACK);
            g.drawString(i < words.length ? vocabulary.word(words[i]) : "<end>", x + 4, y + side + 13);
        }
        g.dispose();
        AtomicFiles.write(png, o -> ImageIO.write(out, "png", o));
    }

    /** The attention weights {@code [word][token]} of each step of the teacher-forced caption. */
    static float[][] attention(Captioner model, float[] image, int[] words) {
        Kernels k = model.kernels;
        VitConfig vit = model.config.encoder();
        int[] caption = new int[words.length + 2];
        caption[0] = Vocabulary.START;
        System.arraycopy(words, 0, caption, 1, words.length);
        caption[words.length + 1] = Vocabulary.END;
        try (Arena a = new Arena(k)) {
            Tensor img = a.keep(k.upload(image, 1, vit.channels(), vit.imageHeight(), vit.imageWidth()));
            var pass = model.forward(a, img, CaptionBatch.of(a, new int[][]{caption}, -1), new PassOptions(false, 0, 0f, 0f));
            Tensor att = pass.decoded().attention();
            if (att == null) throw new IllegalArgumentException("this checkpoint's decoder (show-and-tell) has no attention to draw");
            float[] flat = k.download(att);
            int tokens = model.tokens();
            float[][] out = new float[words.length + 1][];
            for (int t = 0; t <= words.length; t++) out[t] = java.util.Arrays.copyOfRange(flat, t * tokens, (t + 1) * tokens);
            return out;
        }
    }

    private static BufferedImage rgb(byte[] chw, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            img.setRGB(p % size, p / size, (chw[p] & 0xff) << 16 | (chw[p + plane] & 0xff) << 8 | (chw[p + 2 * plane] & 0xff));
        }
        return img;
    }

    /** The image dimmed, with each patch brightened in red by its share of the step's attention (scaled to the step's largest). */
    private static BufferedImage heat(BufferedImage base, float[] alpha, VitConfig vit) {
        int size = base.getWidth(), p = vit.patch(), perRow = vit.imageWidth() / p, first = vit.classToken() ? 1 : 0;
        float max = 0;
        for (int i = first; i < alpha.length; i++) max = Math.max(max, alpha[i]);
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float w = max > 0 ? alpha[first + (y / p) * perRow + x / p] / max : 0;
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

    static List<String> extensions() {
        return List.of("jpg", "jpeg", "png", "bmp", "gif");
    }
}
