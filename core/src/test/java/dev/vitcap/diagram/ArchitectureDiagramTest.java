package dev.vitcap.diagram;

import dev.vitcap.kernel.ReferenceKernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.RegionHeadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureDiagramTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION), ModelConfig.preset("small", DecoderConfig.Kind.SHOWTELL),
                ModelConfig.preset("base", DecoderConfig.Kind.ATTENTION).withRegionHead(new RegionHeadConfig(7, 81)),
                ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withRegionHead(new RegionHeadConfig(2, 11)).withPositionHead(true),
                new ModelConfig(ModelConfig.preset("small", DecoderConfig.Kind.SHOWTELL).encoder(),
                        DecoderConfig.builder(DecoderConfig.Kind.SHOWTELL).vocab(12345).layers(3).build(), 30));
    }

    /** A text of the SVG and the box its glyphs take, measured as the image measures them. */
    record Label(String text, Rectangle2D box) {
    }

    static List<Label> labels(Document svg) {
        FontRenderContext frc = new FontRenderContext(null, true, true);
        List<Label> out = new ArrayList<>();
        NodeList texts = svg.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            float size = Float.parseFloat(t.getAttribute("font-size"));
            Font font = new Font(Font.SANS_SERIF, t.getAttribute("font-weight").equals("bold") ? Font.BOLD : Font.PLAIN, 1).deriveFont(size);
            double w = font.getStringBounds(t.getTextContent(), frc).getWidth();
            double x = Double.parseDouble(t.getAttribute("x")), y = Double.parseDouble(t.getAttribute("y"));
            String anchor = t.getAttribute("text-anchor");
            double left = anchor.equals("middle") ? x - w / 2 : anchor.equals("end") ? x - w : x;
            out.add(new Label(t.getTextContent(), new Rectangle2D.Double(left, y - 0.75 * size, w, size)));
        }
        return out;
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    static List<String> texts(Document svg) {
        return labels(svg).stream().map(Label::text).toList();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void isSelfContainedScalableSvgWithNoTextOverlapping(ModelConfig config) throws Exception {
        String svg = ArchitectureDiagram.svg(config);
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        String[] viewBox = root.getAttribute("viewBox").split(" ");
        assertEquals(4, viewBox.length, "a viewBox lets the picture scale to a panel");
        double width = Double.parseDouble(viewBox[2]), height = Double.parseDouble(viewBox[3]);
        for (String external : List.of("href", "url(", "@import", "<image", "<style")) assertFalse(svg.contains(external), external);
        List<Label> labels = labels(doc);
        assertTrue(labels.size() > 20, "a labelled diagram: " + labels.size());
        for (int i = 0; i < labels.size(); i++) {
            Rectangle2D a = labels.get(i).box();
            assertTrue(a.getMinX() >= 0 && a.getMinY() >= 0 && a.getMaxX() <= width && a.getMaxY() <= height, "inside the picture: " + labels.get(i));
            for (int j = i + 1; j < labels.size(); j++) {
                assertFalse(a.intersects(labels.get(j).box()), labels.get(i) + " overlaps " + labels.get(j));
            }
            for (Rectangle2D box : rects(doc)) assertTrue(box.contains(a) || !box.intersects(a), labels.get(i) + " crosses the edge of " + box);
            for (double[] p : points(doc, "polyline")) {
                for (int k = 2; k < p.length; k += 2) {
                    assertFalse(a.intersectsLine(p[k - 2], p[k - 1], p[k], p[k + 1]), labels.get(i) + " is crossed by a line");
                }
            }
            for (double[] p : points(doc, "polygon")) {
                for (int k = 0; k < p.length; k += 2) assertFalse(a.contains(p[k], p[k + 1]), labels.get(i) + " is under an arrowhead");
            }
        }
    }

    static List<Rectangle2D> rects(Document svg) {
        List<Rectangle2D> out = new ArrayList<>();
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (!r.hasAttribute("x")) continue; // the background
            out.add(new Rectangle2D.Double(Double.parseDouble(r.getAttribute("x")), Double.parseDouble(r.getAttribute("y")),
                    Double.parseDouble(r.getAttribute("width")), Double.parseDouble(r.getAttribute("height"))));
        }
        return out;
    }

    static List<double[]> points(Document svg, String element) {
        List<double[]> out = new ArrayList<>();
        NodeList lines = svg.getElementsByTagName(element);
        for (int i = 0; i < lines.getLength(); i++) {
            String[] xy = ((Element) lines.item(i)).getAttribute("points").split("[ ,]");
            double[] p = new double[xy.length];
            for (int k = 0; k < xy.length; k++) p[k] = Double.parseDouble(xy[k]);
            out.add(p);
        }
        return out;
    }

    @Test
    void eachAuxiliaryHeadIsDrawnWithItsOwnParameters() throws Exception {
        ModelConfig config = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withRegionHead(new RegionHeadConfig(2, 11)).withPositionHead(true);
        String all = String.join("\n", texts(parse(ArchitectureDiagram.svg(config))));
        // tiny: 32 × 32 images in 8 × 8 patches, 16 patches 64 wide; 11 classes per cell, 16 patch classes.
        assertTrue(all.contains("Region head") && all.contains("715 params"), all);
        assertTrue(all.contains("Position head") && all.contains("1,040 params") && all.contains("16 patches each token is"), all);
        String without = String.join("\n", texts(parse(ArchitectureDiagram.svg(config.withPositionHead(false)))));
        assertFalse(without.contains("Position head"), without);
    }

    @Test
    void theAttentionModelShowsTheEncodersShapeAndTheAttentionBox() throws Exception {
        ModelConfig config = ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION);
        List<String> texts = texts(parse(ArchitectureDiagram.svg(config)));
        String all = String.join("\n", texts);
        // small: 64×64 images in 8×8 patches are 64 patches and a class token, 192 wide, 4 blocks of 3 heads.
        assertTrue(texts.contains("ViT block × 4"), all);
        assertTrue(all.contains("depth 4") && all.contains("width 192") && all.contains("3 heads"), all);
        assertTrue(texts.contains("3 × 64 × 64") && texts.contains("64 × 192") && texts.contains("65 × 192"), all);
        assertTrue(texts.contains("Attention") && texts.contains("LSTM cell") && texts.contains("Word embedding"), all);
        assertTrue(texts.contains("19 × 1000 word scores"), all); // 20 tokens, 19 steps, 1000 words
        try (Captioner model = new Captioner(new ReferenceKernels(), config, 1)) {
            assertTrue(all.contains(String.format(Locale.ROOT, "%,d params", model.encoderParams.count())), all);
            assertTrue(all.contains(String.format(Locale.ROOT, "%,d params", model.decoderParams.count())), all);
        }
    }

    @Test
    void theShowAndTellModelHasNoAttentionAndStartsItsLstmFromTheImage() throws Exception {
        List<String> texts = texts(parse(ArchitectureDiagram.svg(ModelConfig.preset("small", DecoderConfig.Kind.SHOWTELL))));
        String all = String.join("\n", texts);
        assertFalse(texts.contains("Attention") || all.contains("context"), all);
        assertTrue(texts.contains("Initial state") && texts.contains("LSTM") && texts.contains("Projection"), all);
        assertTrue(all.contains("show-and-tell"), all);
    }

    @Test
    void textIsEscaped() throws Exception {
        Drawing d = new Drawing("a <title> & \"quotes\"", 10);
        d.text("x < y & 'z' > \"w\"", 5, 20, new Drawing.Style(12, false, java.awt.Color.BLACK), Drawing.Anchor.START);
        Document doc = parse(d.svg());
        assertEquals(List.of("x < y & 'z' > \"w\""), texts(doc));
        assertEquals("a <title> & \"quotes\"", doc.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void thePngIsAReadablePictureNotABlank() {
        BufferedImage png = ArchitectureDiagram.png(ModelConfig.preset("small", DecoderConfig.Kind.ATTENTION));
        assertTrue(png.getWidth() >= 800 && png.getWidth() <= 3000 && png.getHeight() >= 800 && png.getHeight() <= 4000,
                png.getWidth() + "x" + png.getHeight());
        long white = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) white++;
                colours.add(rgb);
            }
        }
        double drawn = 1 - (double) white / ((long) png.getWidth() * png.getHeight());
        assertTrue(drawn > 0.1 && drawn < 0.7, "share of the picture drawn on: " + drawn);
        assertTrue(colours.size() > 20, "panels, boxes, text: " + colours.size() + " colours");
    }

    @Test
    void writesTheFormatItsExtensionNamesAndRefusesOthers(@TempDir Path dir) throws Exception {
        ModelConfig config = ModelConfig.preset("tiny", DecoderConfig.Kind.SHOWTELL);
        Path png = dir.resolve("sub/model.PNG"), svg = dir.resolve("model.svg");
        ArchitectureDiagram.write(config, png);
        ArchitectureDiagram.write(config, svg);
        assertEquals(ArchitectureDiagram.png(config).getWidth(), ImageIO.read(png.toFile()).getWidth());
        assertEquals(ArchitectureDiagram.svg(config), Files.readString(svg));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchitectureDiagram.write(config, dir.resolve("model.gif")));
        assertTrue(e.getMessage().contains("model.gif") && !e.getMessage().contains("\n"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("model.svg", "sub"), files.map(f -> f.getFileName().toString()).sorted().toList(), "nothing else written");
        }
    }
}
