package dev.vitcap.diagram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.List;

/** A plot panel: a framed box with its title, the ranges at its corners, and series as lines or dots. */
public final class Chart {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};

    /** Points (x, y); {@code name} is written in the legend (null: none); {@code line} joins the points, else they are dots. */
    public record Series(String name, List<double[]> points, boolean line, Color colour) {
        public Series(String name, List<double[]> points, boolean line, int index) {
            this(name, points, line, COLOURS[index % COLOURS.length]);
        }
    }

    private Chart() {
    }

    /** Whole numbers (steps, epochs) as they are, others to three significant digits. */
    private static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.format("%.0f", v) : String.format("%.3g", v);
    }

    /** Draws {@code series} in the box at ({@code x}, {@code y}); {@code logX}: x values are log10 of the quantity, labelled as such. */
    public static void panel(Graphics2D g, int x, int y, int w, int h, String title, List<Series> series, boolean logX) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Series s : series) for (double[] p : s.points()) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        g.setColor(Color.BLACK);
        g.drawString(title, x, y - 10);
        g.drawRect(x, y, w, h);
        if (minX > maxX) {
            g.drawString("no data", x + w / 2 - 20, y + h / 2);
            return;
        }
        if (maxX == minX) maxX = minX + 1;
        if (maxY == minY) maxY = minY + 1;
        g.drawString(label(maxY), x - 45, y + 10);
        g.drawString(label(minY), x - 45, y + h);
        g.drawString(label(logX ? Math.pow(10, minX) : minX), x, y + h + 15);
        String right = label(logX ? Math.pow(10, maxX) : maxX);
        g.drawString(right, x + w - g.getFontMetrics().stringWidth(right), y + h + 15);
        // A margin inside the frame, so the dots at the ends are drawn whole.
        double padX = (maxX - minX) * 0.03, padY = (maxY - minY) * 0.04;
        minX -= padX;
        maxX += padX;
        minY -= padY;
        maxY += padY;
        g.setStroke(new BasicStroke(1.5f));
        int legend = 0;
        for (Series s : series) {
            List<double[]> points = s.points();
            if (points.isEmpty()) continue;
            g.setColor(s.colour());
            int[] px = new int[points.size()], py = new int[points.size()];
            for (int j = 0; j < points.size(); j++) {
                px[j] = x + (int) Math.round((points.get(j)[0] - minX) / (maxX - minX) * w);
                py[j] = y + h - (int) Math.round((points.get(j)[1] - minY) / (maxY - minY) * h);
                if (!s.line() || points.size() < 50) g.fillOval(px[j] - 3, py[j] - 3, 6, 6);
            }
            if (s.line()) g.drawPolyline(px, py, points.size());
            if (s.name() != null) g.drawString(s.name(), x + 10, y + 18 + 15 * legend++);
        }
    }
}
