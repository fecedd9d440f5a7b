package dev.vitcap.diagram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A picture kept as a list of rectangles, lines and text, drawn once and then written as SVG text or
 * rendered to an image. Written by hand rather than through an SVG {@code Graphics2D} library: the
 * diagrams need three shapes, and this way the SVG keeps its text as text (it scales, and a browser
 * finds words in it) with no dependency. Text is measured with the JDK's sans-serif font, which the
 * image uses; the SVG names DejaVu Sans, the font that is on Linux, and falls back to narrower ones.
 */
final class Drawing {
    enum Anchor { START, MIDDLE, END }

    record Style(float size, boolean bold, Color color) {
        Font font() {
            return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont(size);
        }

        double width(String text) {
            return font().getStringBounds(text, MEASURE).getWidth();
        }
    }

    private static final FontRenderContext MEASURE = new FontRenderContext(null, true, true);
    private static final String FONTS = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif";
    private static final float[] DASH = {6f, 4f};

    /** One element, written out both ways. */
    private interface Shape {
        double right();

        double bottom();

        void svg(StringBuilder out);

        void paint(Graphics2D g);
    }

    private record Rect(double x, double y, double w, double h, double radius, Color fill, Color stroke, double strokeWidth,
                        boolean dashed) implements Shape {
        @Override
        public double right() {
            return x + w;
        }

        @Override
        public double bottom() {
            return y + h;
        }

        @Override
        public void svg(StringBuilder out) {
            out.append(String.format(Locale.ROOT,
                    "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"%s/>%n",
                    num(x), num(y), num(w), num(h), num(radius), hex(fill), hex(stroke), num(strokeWidth),
                    dashed ? " stroke-dasharray=\"" + num(DASH[0]) + " " + num(DASH[1]) + "\"" : ""));
        }

        @Override
        public void paint(Graphics2D g) {
            RoundRectangle2D box = new RoundRectangle2D.Double(x, y, w, h, 2 * radius, 2 * radius);
            g.setColor(fill);
            g.fill(box);
            g.setColor(stroke);
            g.setStroke(dashed ? new BasicStroke((float) strokeWidth, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f)
                    : new BasicStroke((float) strokeWidth));
            g.draw(box);
        }
    }

    /** A polyline through {@code x0, y0, x1, y1, ...}, or with a fill (and no stroke) a closed polygon. */
    private record Line(double[] points, Color stroke, double strokeWidth, Color fill) implements Shape {
        @Override
        public double right() {
            return max(0);
        }

        @Override
        public double bottom() {
            return max(1);
        }

        private double max(int from) {
            double m = 0;
            for (int i = from; i < points.length; i += 2) m = Math.max(m, points[i]);
            return m;
        }

        @Override
        public void svg(StringBuilder out) {
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < points.length; i += 2) p.append(i == 0 ? "" : " ").append(num(points[i])).append(',').append(num(points[i + 1]));
            out.append(fill != null
                    ? String.format(Locale.ROOT, "<polygon points=\"%s\" fill=\"%s\"/>%n", p, hex(fill))
                    : String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\"/>%n",
                            p, hex(stroke), num(strokeWidth)));
        }

        @Override
        public void paint(Graphics2D g) {
            Path2D path = new Path2D.Double();
            path.moveTo(points[0], points[1]);
            for (int i = 2; i < points.length; i += 2) path.lineTo(points[i], points[i + 1]);
            if (fill != null) {
                path.closePath();
                g.setColor(fill);
                g.fill(path);
            } else {
                g.setColor(stroke);
                g.setStroke(new BasicStroke((float) strokeWidth, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
                g.draw(path);
            }
        }
    }

    /** Text whose baseline is at {@code y}. */
    private record Text(String text, double x, double y, Style style, Anchor anchor) implements Shape {
        private double left() {
            double w = style.width(text);
            return anchor == Anchor.START ? x : anchor == Anchor.MIDDLE ? x - w / 2 : x - w;
        }

        @Override
        public double right() {
            return left() + style.width(text);
        }

        @Override
        public double bottom() {
            return y + style.size * 0.3; // the descenders
        }

        @Override
        public void svg(StringBuilder out) {
            out.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-size=\"%s\"%s fill=\"%s\"%s>%s</text>%n",
                    num(x), num(y), num(style.size), style.bold ? " font-weight=\"bold\"" : "", hex(style.color),
                    anchor == Anchor.START ? "" : " text-anchor=\"" + (anchor == Anchor.MIDDLE ? "middle" : "end") + "\"", escape(text)));
        }

        @Override
        public void paint(Graphics2D g) {
            g.setFont(style.font());
            g.setColor(style.color);
            g.drawString(text, (float) left(), (float) y);
        }
    }

    private final String title;
    private final double margin;
    private final List<Shape> backdrops = new ArrayList<>(), shapes = new ArrayList<>();

    /** @param margin the empty border kept right of and below the rightmost and lowest shape */
    Drawing(String title, double margin) {
        this.title = title;
        this.margin = margin;
    }

    void rect(double x, double y, double w, double h, double radius, Color fill, Color stroke, double strokeWidth, boolean dashed) {
        shapes.add(new Rect(x, y, w, h, radius, fill, stroke, strokeWidth, dashed));
    }

    /** A rectangle behind every other shape, drawn or not yet: a panel sized to what it holds once that is placed. */
    void backdrop(double x, double y, double w, double h, double radius, Color fill, Color stroke) {
        backdrops.add(new Rect(x, y, w, h, radius, fill, stroke, 1, false));
    }

    /** A line through {@code x0, y0, x1, y1, ...} with an arrowhead at its end. */
    void arrow(Color color, double... points) {
        shapes.add(new Line(points.clone(), color, 1.6, null));
        int n = points.length;
        double x = points[n - 2], y = points[n - 1], dx = x - points[n - 4], dy = y - points[n - 3], len = Math.hypot(dx, dy);
        double ux = dx / len, uy = dy / len, size = 9, half = 4.5;
        shapes.add(new Line(new double[]{x, y, x - ux * size - uy * half, y - uy * size + ux * half,
                x - ux * size + uy * half, y - uy * size - ux * half}, null, 0, color));
    }

    /** Text whose baseline is at {@code y}, starting, centred or ending at {@code x}. */
    void text(String text, double x, double y, Style style, Anchor anchor) {
        shapes.add(new Text(text, x, y, style, anchor));
    }

    double width() {
        double right = 0;
        for (Shape s : all()) right = Math.max(right, s.right());
        return Math.ceil(right + margin);
    }

    double height() {
        double bottom = 0;
        for (Shape s : all()) bottom = Math.max(bottom, s.bottom());
        return Math.ceil(bottom + margin);
    }

    private List<Shape> all() {
        List<Shape> all = new ArrayList<>(backdrops);
        all.addAll(shapes);
        return all;
    }

    /** The drawing as a self-contained SVG document (no external fonts or links) that scales to its container. */
    String svg() {
        double w = width(), h = height();
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" font-family=\"%s\">%n",
                num(w), num(h), num(w), num(h), FONTS));
        out.append("<title>").append(escape(title)).append("</title>\n");
        out.append(String.format(Locale.ROOT, "<rect width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>%n", num(w), num(h)));
        for (Shape s : all()) s.svg(out);
        return out.append("</svg>\n").toString();
    }

    /** The drawing rendered at {@code scale} pixels per unit. */
    BufferedImage image(double scale) {
        BufferedImage img = new BufferedImage((int) Math.ceil(width() * scale), (int) Math.ceil(height() * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(scale, scale);
            for (Shape s : all()) s.paint(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xffffff);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
