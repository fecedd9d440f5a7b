package dev.vitcap.metrics;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * METEOR 1.5 through its own jar, driven the way the COCO caption evaluation code drives it
 * ({@code java -jar -Xmx2G meteor-1.5.jar - - -stdio -l en -norm}): one {@code SCORE} line per image
 * answered by its statistics, then one {@code EVAL} line with all of them, answered by each image's
 * score and the corpus score. METEOR is not reimplemented here (it needs its paraphrase tables).
 */
public final class Meteor implements AutoCloseable {
    /** Corpus and per-image METEOR. */
    public record Scores(double corpus, double[] perImage) {}

    private final BufferedWriter toMeteor;
    private final BufferedReader fromMeteor;
    private final AutoCloseable process;
    private final String description;

    /** Talks the protocol over the given streams; {@code process} is closed with this. */
    Meteor(BufferedWriter toMeteor, BufferedReader fromMeteor, AutoCloseable process, String description) {
        this.toMeteor = toMeteor;
        this.fromMeteor = fromMeteor;
        this.process = process;
        this.description = description;
    }

    /** Starts METEOR from {@code jar} in a child JVM; a missing or non-runnable jar is a clear error. */
    public static Meteor start(Path jar) throws CaptionFileException {
        checkRunnable(jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", "-Xmx2G", jar.toAbsolutePath().toString(),
                "-", "-", "-stdio", "-l", "en", "-norm");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        if (jar.toAbsolutePath().getParent() != null) {
            builder.directory(jar.toAbsolutePath().getParent().toFile());
        }
        try {
            Process process = builder.start();
            return new Meteor(
                    new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)),
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    process::destroy, "METEOR (java -jar " + jar + ")");
        } catch (IOException e) {
            throw new CaptionFileException("cannot start java for METEOR: " + e.getMessage());
        }
    }

    /** Fails unless {@code jar} is a runnable jar file. */
    public static void checkRunnable(Path jar) throws CaptionFileException {
        if (!Files.isRegularFile(jar)) {
            throw new CaptionFileException("METEOR jar not found: " + jar);
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Main-Class") == null) {
                throw new CaptionFileException(jar + " is not a runnable jar (its manifest names no Main-Class); "
                        + "--meteor-jar wants meteor-1.5.jar");
            }
        } catch (IOException e) {
            throw new CaptionFileException(jar + " is not a jar file (" + e.getMessage() + "); --meteor-jar wants "
                    + "meteor-1.5.jar");
        }
    }

    /** Scores tokenised candidates against tokenised references, image by image. */
    public Scores score(List<List<String>> references, List<String> candidates) throws CaptionFileException {
        try {
            List<String> stats = new ArrayList<>(candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                // As the reference does: the candidate loses "|||" and double spaces, references are sent as they are.
                String candidate = candidates.get(i).replace("|||", "").replace("  ", " ");
                send("SCORE ||| " + String.join(" ||| ", references.get(i)) + " ||| " + candidate);
                stats.add(receive().trim());
            }
            send("EVAL ||| " + String.join(" ||| ", stats));
            double[] perImage = new double[candidates.size()];
            for (int i = 0; i < perImage.length; i++) {
                perImage[i] = number(receive());
            }
            return new Scores(number(receive()), perImage);
        } catch (IOException e) {
            throw new CaptionFileException(description + " failed: " + e.getMessage());
        }
    }

    private void send(String line) throws IOException {
        toMeteor.write(line);
        toMeteor.write('\n');
        toMeteor.flush();
    }

    private String receive() throws IOException, CaptionFileException {
        String line = fromMeteor.readLine();
        if (line == null) {
            throw new CaptionFileException(description + " stopped before answering (is it meteor-1.5.jar, "
                    + "with its data beside it?)");
        }
        return line;
    }

    private double number(String line) throws CaptionFileException {
        try {
            return Double.parseDouble(line.trim());
        } catch (NumberFormatException e) {
            throw new CaptionFileException(description + " answered \"" + line + "\", not a score");
        }
    }

    @Override
    public void close() throws Exception {
        try (toMeteor; fromMeteor) {
            process.close();
        }
    }
}
