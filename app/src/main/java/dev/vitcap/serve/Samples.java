package dev.vitcap.serve;

import dev.vitcap.data.ImageFormats;
import dev.vitcap.data.ImagePreprocessor;
import dev.vitcap.data.UnreadableImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample images the page offers, read into memory when the server starts: clients ask for them by
 * number, so no path a client sends is ever opened.
 */
public final class Samples {
    /** One sample: its file name (shown on the page), its bytes and their media type. */
    public record Sample(String name, byte[] bytes, String mediaType) {
    }

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
            files = list.filter(p -> ImageFormats.mediaType(p) != null && Files.isRegularFile(p)).sorted().toList();
        }
        ImagePreprocessor check = new ImagePreprocessor(8);
        List<Sample> samples = new ArrayList<>();
        for (Path file : files) {
            if (samples.size() == max) break;
            if (Files.size(file) > maxBytes) continue;
            byte[] bytes = Files.readAllBytes(file);
            try {
                check.chw8(bytes, file.toString());
            } catch (UnreadableImageException e) {
                continue;
            }
            samples.add(new Sample(file.getFileName().toString(), bytes, ImageFormats.mediaType(file)));
        }
        return samples;
    }
}
