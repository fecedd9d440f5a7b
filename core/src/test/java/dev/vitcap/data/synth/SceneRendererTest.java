package dev.vitcap.data.synth;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneRendererTest {

    @Test
    void theCentreOfEveryObjectHasItsColour() {
        for (int size : new int[] {32, 64}) {
            for (Scene scene : SynthTesting.drawn(300, size)) {
                BufferedImage image = SceneRenderer.render(scene);
                for (SceneObject object : scene.objects()) {
                    int pixel = image.getRGB((int) object.centerX(), (int) object.centerY());
                    double distance = distance(pixel, object.colour().rgb());
                    // Thin cross arms of small objects at 32 px let a little background into the centre pixel.
                    assertTrue(distance < (size == 32 ? 40 : 12), () -> object + " in scene " + scene.imageId() + " at "
                            + size + " px has colour " + Integer.toHexString(pixel) + ", " + distance + " away");
                }
            }
        }
    }

    @Test
    void objectsStayInTheirCellsAndBoxes() {
        for (int size : new int[] {32, 64}) {
            for (Scene scene : SynthTesting.drawn(150, size)) {
                BufferedImage image = SceneRenderer.render(scene);
                BufferedImage background = SceneRenderer.render(new Scene(scene.imageId(), scene.width(), scene.height(),
                        scene.grid(), scene.background(), List.of()));
                double cell = (double) size / scene.grid();
                for (SceneObject object : scene.objects()) {
                    Rectangle2D bounds = object.bounds();
                    assertTrue(new Rectangle2D.Double(object.col() * cell, object.row() * cell, cell, cell).contains(bounds),
                            () -> object + " leaves its cell");
                    PixelBox box = object.box();
                    assertTrue(box.x0() <= bounds.getMinX() && bounds.getMaxX() <= box.x1()
                            && box.y0() <= bounds.getMinY() && bounds.getMaxY() <= box.y1(), () -> object + ": box misses outline");
                }
                boolean[] boxed = new boolean[size * size];
                for (SceneObject object : scene.objects()) {
                    PixelBox box = object.box();
                    for (int y = box.y0(); y < box.y1(); y++) for (int x = box.x0(); x < box.x1(); x++) boxed[y * size + x] = true;
                }
                for (int pixel = 0; pixel < boxed.length; pixel++) {
                    if (boxed[pixel]) continue;
                    int x = pixel % size;
                    int y = pixel / size;
                    assertEquals(background.getRGB(x, y), image.getRGB(x, y), () -> "pixel " + x + "," + y + " outside every box");
                }
            }
        }
    }

    /**
     * At 32 px a small object is about six pixels across; any two shapes there still differ by at least
     * five pixels' worth of coverage (a fifth of a small circle), so they can be told apart.
     */
    @Test
    void shapesStayDistinctAt32Pixels() {
        ShapeKind[] shapes = ShapeKind.values();
        for (ObjectSize size : ObjectSize.values()) {
            for (int i = 0; i < shapes.length; i++) {
                for (int j = i + 1; j < shapes.length; j++) {
                    double[] first = coverage(shapes[i], size);
                    double[] second = coverage(shapes[j], size);
                    double difference = 0;
                    for (int pixel = 0; pixel < first.length; pixel++) difference += Math.abs(first[pixel] - second[pixel]);
                    double minimum = size == ObjectSize.SMALL ? 5 : 12;
                    assertTrue(difference >= minimum, size + " " + shapes[i] + " and " + shapes[j] + " differ by " + difference);
                }
            }
        }
    }

    /** How much of each pixel a lone white object covers, drawn unturned in the middle cell of a black 32 px image. */
    private static double[] coverage(ShapeKind shape, ObjectSize size) {
        int pixels = 32;
        double middle = pixels / 2.0;
        SceneObject object = new SceneObject(shape, Colour.WHITE, size, 1, 1, middle, middle,
                pixels / 3.0 * size.cellShare(), 0, new PixelBox(0, 0, pixels, pixels));
        Background black = new Background(Background.Kind.PLAIN, "#000000", 0, 1, 0, 0);
        BufferedImage image = SceneRenderer.render(new Scene(1, pixels, pixels, 3, black, List.of(object)));
        double[] covered = new double[pixels * pixels];
        for (int pixel = 0; pixel < covered.length; pixel++) {
            covered[pixel] = (image.getRGB(pixel % pixels, pixel / pixels) & 0xff) / (double) (Colour.WHITE.rgb() & 0xff);
        }
        return covered;
    }

    @Test
    void coloursStandApartFromEachOtherAndFromEveryBackground() {
        Colour[] colours = Colour.values();
        for (int i = 0; i < colours.length; i++) {
            for (int j = i + 1; j < colours.length; j++) {
                assertTrue(distance(colours[i].rgb(), colours[j].rgb()) > 95, colours[i] + " and " + colours[j]);
            }
        }
        for (Scene scene : SynthTesting.drawn(500, 64)) {
            Background background = scene.background();
            // The pattern moves all channels together: every background pixel lies on this line of colours.
            for (int levels = -background.contrast(); levels <= background.contrast(); levels++) {
                int pixel = shift(background.baseRgb(), levels);
                for (Colour colour : colours) {
                    assertTrue(distance(pixel, colour.rgb()) > 60, () -> colour + " on " + background);
                }
            }
        }
    }

    @Test
    void pngFilesHoldExactlyTheRenderedPixels() throws IOException {
        for (Scene scene : SynthTesting.drawn(20, 48)) {
            BufferedImage image = SceneRenderer.render(scene);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
            assertEquals(image.getWidth(), decoded.getWidth());
            assertEquals(image.getHeight(), decoded.getHeight());
            assertArrayEquals(image.getRGB(0, 0, 48, 48, null, 0, 48), decoded.getRGB(0, 0, 48, 48, null, 0, 48));
        }
    }

    private static double distance(int rgb, int otherRgb) {
        double sum = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int delta = (rgb >> shift & 0xff) - (otherRgb >> shift & 0xff);
            sum += delta * delta;
        }
        return Math.sqrt(sum);
    }

    private static int shift(int rgb, int levels) {
        int shifted = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            shifted |= Math.max(0, Math.min(255, (rgb >> shift & 0xff) + levels)) << shift;
        }
        return shifted;
    }
}
