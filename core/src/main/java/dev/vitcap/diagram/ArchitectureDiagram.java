package dev.vitcap.diagram;

import dev.vitcap.diagram.Drawing.Anchor;
import dev.vitcap.diagram.Drawing.Style;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.Directions;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.ModelSummary;
import dev.vitcap.model.PositionHead;
import dev.vitcap.model.VitConfig;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.vitcap.model.ModelSummary.AUX;
import static dev.vitcap.model.ModelSummary.DECODER;
import static dev.vitcap.model.ModelSummary.DECODER_R2L;
import static dev.vitcap.model.ModelSummary.ENCODER;

/**
 * The captioner of a {@link ModelConfig} drawn as a block diagram: image, patches, the ViT blocks
 * (depth, width, heads), the tokens, then the decoder (attention and the LSTM cell, or the
 * show-and-tell stack whose LSTM starts from the image), the words. Edges carry the tensor shapes per
 * image and every part its parameter count, both from {@link ModelSummary}. One drawing makes the SVG
 * and the PNG.
 */
public final class ArchitectureDiagram {
    private static final Color INK = new Color(0x202124), TEXT = new Color(0x3c4043), MUTED = new Color(0x5f6368), WHITE = Color.WHITE;
    private static final Theme ENCODER_THEME = new Theme(new Color(0xeef3fd), new Color(0xaecbfa), new Color(0x1a73e8), new Color(0x174ea6));
    private static final Theme DECODER_THEME = new Theme(new Color(0xfef5e8), new Color(0xf9cf96), new Color(0xe37400), new Color(0x9a4a00));
    private static final Theme NEUTRAL = new Theme(new Color(0xf1f3f4), MUTED, MUTED, INK);
    private static final Style TITLE = new Style(20, true, INK), SUBTITLE = new Style(13, false, MUTED),
            BOX_TITLE = new Style(15, true, INK), BOX_TEXT = new Style(13, false, TEXT), PARAMS = new Style(12, false, MUTED),
            EDGE = new Style(12, false, INK);
    private static final double MARGIN = 24, PAD = 20, MIN_GAP = 100, ROW_GAP = 50, PANEL_GAP = 36, HEADER = 40, TEXT_PAD = 16,
            MIN_CENTRE = 340, MIN_SIDE = 170, STACK = 5;
    /** Pixels per SVG unit in the PNG: sharp on high-density screens, still a modest file. */
    private static final double PNG_SCALE = 1.5;

    private ArchitectureDiagram() {
    }

    /** The diagram as a self-contained SVG document with a {@code viewBox}, so it scales to its container. */
    public static String svg(ModelConfig config) {
        return draw(config).svg();
    }

    /** The diagram as an image, to be written as a PNG. */
    public static BufferedImage png(ModelConfig config) {
        return draw(config).image(PNG_SCALE);
    }

    /** Writes the diagram to {@code file} in the format its extension names ({@code .svg} or {@code .png}), atomically. */
    public static void write(ModelConfig config, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            byte[] svg = svg(config).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(file, out -> out.write(svg));
        } else if (name.endsWith(".png")) {
            BufferedImage image = png(config);
            AtomicFiles.writePng(file, image);
        } else {
            throw new IllegalArgumentException(file + ": a diagram is written as .svg or .png");
        }
    }

    /** The colours of a part: its panel, and its boxes' outline and header. */
    private record Theme(Color panel, Color panelLine, Color line, Color header) {
    }

    /** A box: a bold title, lines of detail and the parameter count (none for 0); {@code stacked} draws it as a deck. */
    private record Node(String title, List<String> lines, String params, Theme theme, boolean stacked, boolean dashed, boolean terminal) {
        static Node box(Theme theme, String title, long params, String... lines) {
            return new Node(title, List.of(lines), params == 0 ? null : ModelSummary.count(params) + " params", theme, false, false, false);
        }

        static Node terminal(String title, String line) {
            return new Node(title, List.of(line), null, NEUTRAL, false, false, true);
        }

        Node deck(String params) {
            return new Node(title, lines, params, theme, true, dashed, terminal);
        }

        Node dashedOutline() {
            return new Node(title, lines, params, theme, stacked, true, terminal);
        }

        double textWidth() {
            double w = BOX_TITLE.width(title);
            for (String l : lines) w = Math.max(w, BOX_TEXT.width(l));
            if (params != null) w = Math.max(w, PARAMS.width(params));
            return w + 2 * TEXT_PAD;
        }

        int rows() {
            return 1 + lines.size() + (params == null ? 0 : 1);
        }

        double naturalHeight() {
            return 20 + 18 * rows();
        }
    }

    /** A node where it is drawn; {@code bottom} includes a deck's back cards. */
    private record Placed(Node node, double x, double y, double w, double h) {
        double cx() {
            return x + w / 2;
        }

        double cy() {
            return y + h / 2;
        }

        double bottom() {
            return y + h + (node.stacked ? 2 * STACK : 0);
        }

        double right() {
            return x + w;
        }
    }

    /** The nodes of one model, before layout. */
    /**
     * The decoder panel's title, short enough to end before the centre column's arrow: the kind, and the
     * direction when not only left to right (of two decoders of one shape, one is drawn).
     */
    private static String decoderTitle(Parts p) {
        String kind = p.attention ? "LSTM with attention" : "show-and-tell LSTM";
        return switch (p.directions) {
            case L2R -> "Decoder: " + kind;
            case R2L -> "Decoder (r2l): " + kind;
            case BOTH -> "2 decoders: " + kind;
        };
    }

    private static final class Parts {
        final ModelSummary s;
        final VitConfig v;
        final DecoderConfig d;
        final boolean attention;
        /** The summary's part of the decoder drawn: the left-to-right one, or the right-to-left one of a model without it. */
        final String decoder;
        final Directions directions;
        final Node image, patches, positions, blocks, norm, region, position, state, attend, embedding, lstm, fc, out, words;

        Parts(ModelConfig config) {
            s = ModelSummary.of(config);
            v = config.encoder();
            d = config.decoder();
            attention = d.kind() == DecoderConfig.Kind.ATTENTION;
            directions = config.directions();
            decoder = directions.leftToRight() ? DECODER : DECODER_R2L;
            int t = v.tokens(), h = d.hidden(), dim = v.dim();
            image = Node.terminal("Image", v.imageHeight() + " × " + v.imageWidth() + " pixels, " + v.channels() + " channel" + (v.channels() == 1 ? "" : "s"));
            patches = Node.box(ENCODER_THEME, "Patch embedding", s.params(ENCODER, "patch_embed"),
                    v.patchesPerImage() + " patches of " + v.patch() + " × " + v.patch() + " → width " + dim);
            positions = Node.box(ENCODER_THEME, v.classToken() ? "Class token + positions" : "Positions",
                    s.params(ENCODER, "cls_token") + s.params(ENCODER, "pos_embed"), "a learned position for each of " + t + " tokens");
            long perBlock = s.params(ENCODER, "blocks.0");
            blocks = Node.box(ENCODER_THEME, "ViT block × " + v.depth(), 0,
                    "depth " + v.depth() + " · width " + dim + " · " + v.heads() + " heads of " + v.headDim() + " · MLP " + v.mlp(),
                    "pre-norm self-attention and MLP, each residual")
                    .deck(v.depth() + " × " + ModelSummary.count(perBlock) + " = " + ModelSummary.count(s.params(ENCODER, "blocks")) + " params");
            norm = Node.box(ENCODER_THEME, "LayerNorm", s.params(ENCODER, "norm"), "the encoder's tokens");
            region = config.region() == null ? null : Node.box(NEUTRAL, "Region head", s.params(AUX, "region_head"),
                    "training only: the class of", "each cell of a " + config.region().grid() + " × " + config.region().grid() + " grid").dashedOutline();
            position = !config.positionHead() ? null : Node.box(NEUTRAL, "Position head", s.params(AUX, PositionHead.NAME),
                    "training only: which of the", v.patchesPerImage() + " patches each token is").dashedOutline();
            String initShape = attention || d.layers() == 1 ? "" + h : d.layers() + " × " + h;
            state = Node.box(DECODER_THEME, "Initial state", s.params(decoder, "init_h") + s.params(decoder, "init_c"),
                    "mean token → init_h, init_c", "tanh, " + dim + " → " + initShape);
            attend = attention ? Node.box(DECODER_THEME, "Attention", s.params(decoder, "enc_att") + s.params(decoder, "dec_att")
                    + s.params(decoder, "full_att") + s.params(decoder, "f_beta"),
                    "additive over the " + t + " tokens, width " + d.att(), "context gated by σ(f_beta(h))") : null;
            embedding = Node.box(DECODER_THEME, "Word embedding", s.params(decoder, "emb"), d.vocab() + " words → " + d.emb());
            lstm = attention
                    ? Node.box(DECODER_THEME, "LSTM cell", s.params(decoder, "cell"), d.emb() + " + " + dim + " → hidden " + h,
                            "one step per word, " + s.steps() + " steps")
                    : Node.box(DECODER_THEME, d.layers() == 1 ? "LSTM" : "LSTM × " + d.layers() + " layers", s.params(decoder, "lstm"),
                            d.emb() + " → hidden " + h, "one step per word, " + s.steps() + " steps");
            fc = attention ? null : Node.box(DECODER_THEME, "Projection", s.params(decoder, "fc"), "fc: " + h + " → " + d.fc() + ", ReLU");
            out = Node.box(DECODER_THEME, "Output layer", s.params(decoder, "out"),
                    (attention ? h : d.fc()) + " → " + d.vocab() + " word scores");
            words = Node.terminal("Caption", "up to " + (config.maxLength() - 2) + " words, "
                    + switch (directions) {
                        case L2R -> "greedy or beam search";
                        case R2L -> "decoded right to left";
                        case BOTH -> "both directions' beams rescored";
                    });
        }

        /** The nodes of the middle column. */
        List<Node> centre() {
            List<Node> c = new ArrayList<>(List.of(image, patches, positions, blocks, norm, lstm, out, words));
            c.addAll(attention ? List.of(attend) : List.of(state, fc));
            return c;
        }

        /**
         * The nodes beside it: the embedding and the position head on the left; the region head and the attention
         * decoder's initial state on the right.
         */
        List<Node> sides() {
            List<Node> c = new ArrayList<>(List.of(embedding));
            if (position != null) c.add(position);
            if (region != null) c.add(region);
            if (attention) c.add(state);
            return c;
        }

        /** What the auxiliary heads read: the patch tokens, without the class token. */
        String patchTokens() {
            return v.patchesPerImage() + " × " + v.dim();
        }

        /** A shape as the edges show it: 65 × 192. */
        String shape(String part, String layer) {
            StringBuilder b = new StringBuilder();
            for (int n : s.layer(part, layer).outputShape()) b.append(b.length() == 0 ? "" : " × ").append(n);
            return b.toString();
        }
    }

    private static Drawing draw(ModelConfig config) {
        Parts p = new Parts(config);
        ModelSummary s = p.s;
        Drawing g = new Drawing("vitcap captioner: ViT encoder and " + (p.attention ? "LSTM decoder with attention" : "show-and-tell LSTM decoder"), MARGIN);
        double centreW = MIN_CENTRE, sideW = MIN_SIDE;
        for (Node n : p.centre()) centreW = Math.max(centreW, n.textWidth());
        for (Node n : p.sides()) sideW = Math.max(sideW, n.textWidth());
        // Wide enough between the columns for the labels of the arrows that cross from one to the next.
        double gap = MIN_GAP;
        for (String label : new String[]{p.patchTokens(), "" + p.d.emb()}) gap = Math.max(gap, EDGE.width(label) + 24);
        // Whole units, so that the SVG's coordinates stay short.
        centreW = Math.ceil(centreW);
        sideW = Math.ceil(sideW);
        gap = Math.ceil(gap);
        double leftX = MARGIN + PAD, centreX = leftX + sideW + gap, rightX = centreX + centreW + gap, panelW = rightX + sideW + PAD - MARGIN;
        double cx = centreX + centreW / 2, leftCx = leftX + sideW / 2, rightCx = rightX + sideW / 2;

        double y = MARGIN + 20;
        g.text("Image captioner · " + ModelSummary.count(s.total()) + " parameters", MARGIN, y, TITLE, Anchor.START);
        g.text("Shapes are per image; the decoder's have a row for each of its " + s.steps() + " steps (one per word).",
                MARGIN, y + 22, SUBTITLE, Anchor.START);
        Placed image = node(g, p.image, centreX, y + 44, centreW, 0);

        // The encoder.
        double encTop = image.bottom() + PANEL_GAP;
        edgeAcrossGap(g, cx, image.bottom(), encTop + HEADER, shape(p.v), image.bottom() + PANEL_GAP / 2);
        Placed patches = node(g, p.patches, centreX, encTop + HEADER, centreW, 0);
        Placed positions = below(g, p.positions, patches, p.shape(ENCODER, "patch_embed.proj"), centreX, centreW);
        Placed blocks = below(g, p.blocks, positions, p.shape(ENCODER, "pos_embed"), centreX, centreW);
        Placed norm = below(g, p.norm, blocks, p.shape(ENCODER, "pos_embed"), centreX, centreW);
        if (p.region != null) {
            Placed region = node(g, p.region, rightX, norm.cy() - p.region.naturalHeight() / 2, sideW, 0);
            g.arrow(INK, norm.right(), norm.cy(), region.x, norm.cy());
            label(g, p.patchTokens(), (norm.right() + region.x) / 2, norm.cy() - 7, Anchor.MIDDLE);
        }
        if (p.position != null) {
            Placed position = node(g, p.position, leftX, norm.cy() - p.position.naturalHeight() / 2, sideW, 0);
            g.arrow(INK, norm.x, norm.cy(), position.right(), norm.cy());
            label(g, p.patchTokens(), (position.right() + norm.x) / 2, norm.cy() - 7, Anchor.MIDDLE);
        }
        double encBottom = norm.bottom() + PAD;
        panel(g, ENCODER_THEME, MARGIN, encTop, panelW, encBottom - encTop,
                "Encoder: Vision Transformer · " + ModelSummary.count(s.encoderParams()) + " params");

        // The decoder: the tokens arrive from above, through the gap between the panels.
        double decTop = encBottom + PANEL_GAP;
        String tokens = p.shape(ENCODER, "norm") + " tokens";
        Placed lstm;
        if (p.attention) {
            double branch = decTop + HEADER + 4, rowTop = branch + 30;
            double rowH = Math.max(p.attend.naturalHeight(), p.state.naturalHeight());
            edgeAcrossGap(g, cx, norm.bottom(), rowTop, tokens, encBottom + PANEL_GAP / 2);
            Placed attend = node(g, p.attend, centreX, rowTop, centreW, rowH);
            Placed state = node(g, p.state, rightX, rowTop, sideW, rowH);
            g.arrow(INK, cx, branch, rightCx, branch, rightCx, state.y);
            label(g, "mean token: " + p.v.dim(), (cx + rightCx) / 2, branch - 7, Anchor.MIDDLE);
            double lstmTop = attend.bottom() + ROW_GAP + 14;
            double lstmH = Math.max(p.lstm.naturalHeight(), p.embedding.naturalHeight());
            lstm = node(g, p.lstm, centreX, lstmTop, centreW, lstmH);
            double dx = 40;
            g.arrow(INK, cx - dx, attend.bottom(), cx - dx, lstm.y);
            label(g, "context " + p.v.dim(), cx - dx - 8, (attend.bottom() + lstm.y) / 2 + 4, Anchor.END);
            g.arrow(INK, cx + dx, lstm.y, cx + dx, attend.bottom());
            label(g, "h " + p.d.hidden() + ", previous step", cx + dx + 8, (attend.bottom() + lstm.y) / 2 + 4, Anchor.START);
            g.arrow(INK, rightCx, state.bottom(), rightCx, lstm.cy(), lstm.right(), lstm.cy());
            label(g, "h0, c0: " + p.d.hidden(), rightCx + 8, (state.bottom() + lstm.cy()) / 2 + 4, Anchor.START);
        } else {
            Placed state = node(g, p.state, centreX, decTop + HEADER, centreW, 0);
            edgeAcrossGap(g, cx, norm.bottom(), state.y, tokens, encBottom + PANEL_GAP / 2);
            String h0 = (p.d.layers() == 1 ? "" : p.d.layers() + " × ") + p.d.hidden();
            lstm = below(g, p.lstm, state, "h0, c0: " + h0, centreX, centreW, Math.max(p.lstm.naturalHeight(), p.embedding.naturalHeight()));
        }
        Placed embedding = node(g, p.embedding, leftX, lstm.y, sideW, lstm.h);
        g.arrow(INK, embedding.right(), lstm.cy(), lstm.x, lstm.cy());
        label(g, "" + p.d.emb(), (embedding.right() + lstm.x) / 2, lstm.cy() - 7, Anchor.MIDDLE);
        g.arrow(INK, leftCx, embedding.y - 30, leftCx, embedding.y);
        label(g, "previous word", leftCx, embedding.y - 36, Anchor.MIDDLE);
        Placed last = lstm;
        if (p.fc != null) last = below(g, p.fc, last, p.shape(p.decoder, "lstm"), centreX, centreW);
        Placed out = below(g, p.out, last, p.attention ? p.shape(p.decoder, "cell") : p.shape(p.decoder, "fc"), centreX, centreW);
        double decBottom = out.bottom() + PAD;
        panel(g, DECODER_THEME, MARGIN, decTop, panelW, decBottom - decTop,
                decoderTitle(p) + " · " + ModelSummary.count(s.decoderParams()) + " params");
        edgeAcrossGap(g, cx, out.bottom(), decBottom + PANEL_GAP, p.shape(p.decoder, "out") + " word scores", decBottom + PANEL_GAP / 2);
        node(g, p.words, centreX, decBottom + PANEL_GAP, centreW, 0);
        return g;
    }

    private static String shape(VitConfig v) {
        return v.channels() + " × " + v.imageHeight() + " × " + v.imageWidth();
    }

    /** Draws a node at {@code x, y}, {@code w} wide and {@code h} high (0: as high as its text needs). */
    private static Placed node(Drawing g, Node n, double x, double y, double w, double h) {
        Placed p = new Placed(n, x, y, w, h > 0 ? h : n.naturalHeight());
        Theme t = n.theme;
        double radius = n.terminal ? p.h / 2 : 8;
        Color fill = n.terminal ? t.panel : WHITE;
        if (n.stacked) {
            for (int i = 2; i >= 1; i--) g.rect(x + i * STACK, y + i * STACK, w, p.h, radius, fill, t.panelLine, 1.2, false);
        }
        g.rect(x, y, w, p.h, radius, fill, t.line, 1.6, n.dashed);
        double baseline = y + (p.h - 18 * n.rows()) / 2 + 13.5;
        g.text(n.title, p.cx(), baseline, BOX_TITLE, Anchor.MIDDLE);
        for (String line : n.lines) g.text(line, p.cx(), baseline += 18, BOX_TEXT, Anchor.MIDDLE);
        if (n.params != null) g.text(n.params, p.cx(), baseline + 18, PARAMS, Anchor.MIDDLE);
        return p;
    }

    /** Draws a node a row below {@code above} in the centre column, with an arrow down to it labelled {@code shape}. */
    private static Placed below(Drawing g, Node n, Placed above, String shape, double x, double w) {
        return below(g, n, above, shape, x, w, 0);
    }

    private static Placed below(Drawing g, Node n, Placed above, String shape, double x, double w, double h) {
        double top = above.bottom() + ROW_GAP;
        g.arrow(INK, above.cx(), above.bottom(), above.cx(), top);
        label(g, shape, above.cx() + 8, (above.bottom() + top) / 2 + 4, Anchor.START);
        return node(g, n, x, top, w, h);
    }

    /** An arrow down from one panel into the next (or from or to a terminal), its label in the gap at {@code labelY}. */
    private static void edgeAcrossGap(Drawing g, double x, double from, double to, String shape, double labelY) {
        g.arrow(INK, x, from, x, to);
        label(g, shape, x + 8, labelY + 4, Anchor.START);
    }

    private static void label(Drawing g, String text, double x, double y, Anchor anchor) {
        g.text(text, x, y, EDGE, anchor);
    }

    private static void panel(Drawing g, Theme t, double x, double y, double w, double h, String title) {
        g.backdrop(x, y, w, h, 12, t.panel, t.panelLine);
        g.text(title, x + 16, y + 26, new Style(14, true, t.header), Anchor.START);
    }
}
