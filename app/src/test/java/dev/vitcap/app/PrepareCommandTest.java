package dev.vitcap.app;

import dev.vitcap.data.ImageCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepareCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void preparesACsvDatasetAndReportsTheUnreadableImageOnce() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.setRGB(20, 15, 0xFF0000);
        ImageIO.write(image, "png", images.resolve("a.png").toFile());
        ImageIO.write(image, "jpeg", images.resolve("b.jpg").toFile());
        Files.writeString(images.resolve("broken.jpg"), "not an image");
        Path csv = Files.writeString(dir.resolve("captions.csv"), """
                image,caption,split
                a.png,"A dot, red",train
                b.jpg,A dot,val
                broken.jpg,Nothing,train
                a.png,,train
                """);
        Path cache = dir.resolve("cache");
        String[] args = {"prepare", "--annotations", csv.toString(), "--images", images.toString(), "--out", cache.toString(), "--size", "8", "--threads", "2"};
        assertEquals(0, run(args), err.toString());
        assertTrue(out.toString().contains(csv + ": CSV, 3 images, 3 captions, splits [train, val]"), out.toString());
        assertTrue(out.toString().contains(cache + ": 2 ok, 1 skipped (0 done by an earlier run), 8×8 pixels"), out.toString());
        assertEquals("dropped " + csv + ":line 5: empty caption of image a.png\n"
                + "skipped " + images.resolve("broken.jpg") + ": not an image format vitcap reads (JPEG, PNG, BMP, GIF)", err.toString().strip());
        ImageCache opened = ImageCache.open(cache);
        assertEquals(3, opened.rows());
        assertFalse(opened.present(2));

        err.getBuffer().setLength(0);
        assertEquals(0, run(args));
        assertEquals("dropped " + csv + ":line 5: empty caption of image a.png", err.toString().strip(),
                "a second run reads the captions again but does not report the image it already found unreadable");
    }

    @Test
    void badInputIsOneLineAndExitCodeOne() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        Path csv = Files.writeString(dir.resolve("c.csv"), "image,caption\na.png,x\n");
        assertEquals(1, run("prepare", "--annotations", dir.resolve("none.json").toString(), "--images", images.toString(), "--out", "x", "--size", "8"));
        assertEquals("vitcap prepare: " + dir.resolve("none.json") + ": no such file", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(1, run("prepare", "--annotations", csv.toString(), "--images", images.toString(), "--out", "x", "--size", "8", "--split", "test"));
        assertEquals("vitcap prepare: " + csv + ": no images in split 'test' (splits: [train])", err.toString().strip());
    }
}
