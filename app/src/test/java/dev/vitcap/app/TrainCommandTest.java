package dev.vitcap.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a dataset with broken items: corrupt, truncated, missing and zero-byte images, an empty
 * caption and a caption of 10 000 characters. The run completes, each bad item is reported once with
 * its path, and every good image is trained on.
 */
class TrainCommandTest {
    @Test
    void badItemsAreReportedOnceAndTheRestTrains(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<String> lines = new ArrayList<>(List.of("image,caption,split"));
        for (int i = 0; i < 8; i++) {
            BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(30 * i, 255 - 30 * i, 90));
            g.fillOval(5, 5, 10 + 3 * i, 20);
            g.dispose();
            ImageIO.write(img, "png", images.resolve("good" + i + ".png").toFile());
            String split = i < 6 ? "train" : "val";
            lines.add("good" + i + ".png,a shape number " + i + " on black," + split);
            lines.add("good" + i + ".png,\"one shape, drawn\"," + split);
        }
        lines.add("good1.png,,train");
        lines.add("good2.png," + "very long words ".repeat(625) + ",train");
        byte[] png = Files.readAllBytes(images.resolve("good0.png"));
        Files.write(images.resolve("corrupt.png"), "this is not an image at all".getBytes());
        Files.write(images.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(images.resolve("empty.png"), new byte[0]);
        for (String bad : List.of("corrupt.png", "truncated.png", "missing.png", "empty.png")) lines.add(bad + ",a broken image,train");
        Path csv = Files.write(dir.resolve("captions.csv"), lines);

        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream stdout = System.out, stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            code = Main.commandLine().execute("train", "--annotations", csv.toString(), "--images", images.toString(),
                    "--out", dir.resolve("run").toString(), "--model", "tiny", "--image-size", "32", "--epochs", "2", "--batch", "4",
                    "--min-count", "1", "--max-length", "12", "--warmup", "1", "--backend", "cpu");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String log = out + "\n" + err;
        assertEquals(0, code, log);
        for (String bad : List.of("corrupt.png", "truncated.png", "missing.png", "empty.png")) {
            assertEquals(1, count(err.toString(), images.resolve(bad).toString()), bad + " reported once:\n" + err);
        }
        assertEquals(1, count(err.toString(), "empty caption of image good1.png"), err.toString());
        assertTrue(out.toString().contains("10 training images"), out.toString());
        assertTrue(out.toString().contains("8 decoded, 4 skipped as unreadable"), out.toString());
        assertTrue(Files.exists(dir.resolve("run").resolve("best.json")) && Files.exists(dir.resolve("run").resolve("curves.png")));
        assertEquals(2 * 2 + 2, Files.readAllLines(dir.resolve("run").resolve("log.jsonl")).size(), "2 epochs of 2 batches (6 good training images), and 2 validations");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
        return n;
    }

    @Test
    void aFolderHoldingARunIsReplacedOnlyWhenAsked(@TempDir Path dir) throws Exception {
        Path world = dir.resolve("world");
        dev.vitcap.data.synth.SynthWorld.generate(new dev.vitcap.data.synth.SynthWorld.Spec(world, 16, 1, 1, 32, 1));
        Path run = dir.resolve("run");
        String[] train = {"train", "--annotations", dev.vitcap.data.synth.SynthFiles.annotations(world, dev.vitcap.data.synth.Split.TRAIN).toString(),
                "--images", dev.vitcap.data.synth.SynthFiles.imageDir(world, dev.vitcap.data.synth.Split.TRAIN).toString(), "--out", run.toString(),
                "--model", "tiny", "--image-size", "32", "--epochs", "1", "--batch", "8", "--min-count", "1", "--backend", "cpu"};
        assertEquals(0, execute(train).code());
        byte[] first = Files.readAllBytes(run.resolve("best.json"));

        Result again = execute(train);
        assertEquals(1, again.code());
        assertEquals(List.of(run + ": already holds a training run (best.json, last.json); add --resume to continue it or --overwrite to replace it"),
                again.err().lines().map(l -> l.replaceFirst("^vitcap train: ", "")).toList());
        assertTrue(Arrays.equals(first, Files.readAllBytes(run.resolve("best.json"))), "the run is untouched");

        String[] overwrite = Arrays.copyOf(train, train.length + 2);
        overwrite[train.length] = "--overwrite";
        overwrite[train.length + 1] = "--seed=7";
        Result replaced = execute(overwrite);
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(replaced.out().contains("replacing the run in " + run), replaced.out());
        assertFalse(Arrays.equals(first, Files.readAllBytes(run.resolve("best.json"))), "a new run, from another seed");
    }

    record Result(int code, String out, String err) {
    }

    private static Result execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream stdout = System.out, stderr = System.err;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            return new Result(Main.commandLine().execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
