package dev.vitcap.app;

import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.tools.ToolProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The complete program of docs/api.md compiles and runs as written: one line per image, then the batching figures. */
class ApiDocExampleTest {
    @Test
    void theDocumentedProgramRuns(@TempDir Path dir) throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        Matcher m = Pattern.compile("```java\n(import dev\\.vitcap[\\s\\S]*?public class CaptionFolder[\\s\\S]*?)```").matcher(doc);
        assertTrue(m.find(), "docs/api.md has the CaptionFolder program");
        Path source = Files.writeString(dir.resolve("CaptionFolder.java"), m.group(1));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ByteArrayOutputStream javac = new ByteArrayOutputStream();
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, javac, javac,
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertEquals(0, compiled, javac.toString());

        Vocabulary vocabulary = Vocabulary.build(List.of("a red circle", "a blue square"), PtbTokenizer.instance()::tokenize, 1, 8);
        ModelConfig shape = ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION).withMaxLength(8).withVocab(vocabulary.size());
        Path checkpoint = dir.resolve("model.json");
        try (Kernels k = Backends.select("cpu").kernels(); Captioner model = new Captioner(k, shape, 1)) {
            Checkpoint.save(checkpoint, model, null, vocabulary, DecodeOptions.GREEDY, null);
        }
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 5; i++) {
            BufferedImage img = new BufferedImage(20 + 10 * i, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xff0000);
            ImageIO.write(img, "png", images.resolve("image" + i + ".png").toFile());
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass("CaptionFolder").getMethod("main", String[].class).invoke(null, (Object) new String[]{checkpoint.toString(), images.toString()});
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = printed.toString().lines().toList();
        assertEquals(6, lines.size(), printed.toString());
        for (int i = 0; i < 5; i++) assertTrue(lines.get(i).startsWith("image" + i + ".png\t"), lines.get(i));
        assertTrue(lines.get(5).startsWith("Stats[") && lines.get(5).contains("images=5"), lines.get(5));
    }
}
