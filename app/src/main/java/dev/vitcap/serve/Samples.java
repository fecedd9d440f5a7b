package dev.vitcap.serve;

import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.UnreadableImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample images the page offers, read into memory when the server starts: clients ask for them by
 * number, so no path a client sends is ever opened.
 */
public final class Samples {
    /** One sample: its file name (shown on the page), its bytes and their media type. */
    public record Sample(String name, byte[] bytes, String mediaType) {
    }

    static final Map<String, String> MEDIA_TYPES = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "gif", "image/gif", "bmp", "image/bmp");

    private Samples() {
    }

    /**
     * The first {@code max} image files of a folder (by name) that are at most {@code maxBytes} long and
     * decode; others are skipped. A missing folder is an error naming it.
     */
    public static List<Sample> fromFolder(Path dir, int max, long maxBytes) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such folder of sample images");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> MEDIA_TYPES.containsKey(extension(p)) && Files.isRegularFile(p)).sorted().toList();
        }
        ImagePreprocessor check = new ImagePreprocessor(8);
        List<Sample> samples = new ArrayList<>();
        for (Path file : files) {
            if (samples.size() == max) break;
            if (Files.size(file) > maxBytes) continue;
            try {
                check.chw8(file);
            } catch (UnreadableImageException e) {
                continue;
            }
            samples.add(new Sample(file.getFileName().toString(), Files.readAllBytes(file), MEDIA_TYPES.get(extension(file))));
        }
        return samples;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
