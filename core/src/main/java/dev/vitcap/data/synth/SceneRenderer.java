package dev.vitcap.data.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/** Draws a scene with Java2D, antialiased: the background pixel by pixel, then each object's outline filled. */
public final class SceneRenderer {
    static {
        // Rendering into an image never needs a display; without this AWT may try to reach one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private SceneRenderer() {
    }

    public static BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
        paintBackground(scene.background(), scene.width(), scene.height(),
                ((DataBufferInt) image.getRaster().getDataBuffer()).getData());
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject object : scene.objects()) {
                graphics.setColor(new Color(object.colour().rgb()));
                graphics.fill(object.outline());
            }
        } finally {
            graphics.dispose();
        }
        return image;
    }

    private static void paintBackground(Background background, int width, int height, int[] pixels) {
        int base = background.baseRgb();
        SplittableRandom noise = new SplittableRandom(background.noiseSeed());
        double radians = Math.toRadians(background.angle());
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                double pattern = switch (background.kind()) {
                    case PLAIN -> 0;
                    case STRIPES -> Math.floor((px * cos + py * sin) / background.period()) % 2 == 0 ? 1 : -1;
                    case CHECKER -> (Math.floor(px / background.period()) + Math.floor(py / background.period())) % 2 == 0 ? 1 : -1;
                    case NOISE -> 2 * noise.nextDouble() - 1;
                    case GRADIENT -> Math.max(-1, Math.min(1, ((px - width / 2.0) * cos + (py - height / 2.0) * sin) / (width / 2.0)));
                };
                pixels[y * width + x] = shift(base, (int) Math.round(background.contrast() * pattern));
            }
        }
    }

    /** Every channel of {@code rgb} moved by {@code levels}, kept within 0..255. */
    private static int shift(int rgb, int levels) {
        int shifted = 0;
        for (int channel = 16; channel >= 0; channel -= 8) {
            int value = Math.max(0, Math.min(255, (rgb >> channel & 0xff) + levels));
            shifted |= value << channel;
        }
        return shifted;
    }
}
