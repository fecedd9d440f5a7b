package dev.vitcap.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vitcap.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The files of a prepared image cache, shared by {@link ImageCacheWriter} and {@link ImageCache}:
 * {@code images.u8} (uint8 [rows, 3, size, size], row-major, a row per dataset item whether or
 * not its image could be read), {@code index.json} (written when the cache is finished) and
 * {@code progress.json} (the journal of an unfinished run, replaced atomically as rows are done).
 */
final class CacheFiles {
    static final String PIXELS = "images.u8";
    static final String INDEX = "index.json";
    static final String PROGRESS = "progress.json";
    static final String INDEX_FORMAT = "vitcap-image-cache";
    static final String PROGRESS_FORMAT = "vitcap-image-cache-progress";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = JsonFiles.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private CacheFiles() {
    }

    /** One row of the finished cache; {@code error} says why an absent row's image could not be read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String id, String image, String split, List<String> captions, boolean present, String error) {
    }

    /** What both JSON files start with, so an old or foreign file is refused by name. */
    interface Versioned {
        String format();

        int version();
    }

    record Index(String format, int version, int size, int rows, String fingerprint, int ok, int skipped, List<Row> items)
            implements Versioned {
    }

    /** Rows already written ({@code done}, a bit set in base64) and rows whose image was unreadable, with the reason. */
    record Progress(String format, int version, int size, int rows, String fingerprint, String done, Map<Integer, String> failed)
            implements Versioned {
    }

    /**
     * What the rows of a cache are: the size and each item's id and image path. A cache is resumed
     * or reused only for the same fingerprint; captions and splits may change without redoing images.
     */
    static String fingerprint(CaptionDataset data, int size) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("size " + size + "\n").getBytes(StandardCharsets.UTF_8));
            for (CaptionDataset.Item item : data.items()) {
                sha.update((item.imageId() + "\0" + item.image() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static <T extends Versioned> T read(Path file, Class<T> type, String format) throws DatasetException {
        T value = JsonFiles.read(file, type);
        if (!format.equals(value.format())) throw new DatasetException(file + ": not a " + format + " file (format '" + value.format() + "')");
        if (value.version() != VERSION) {
            throw new DatasetException(file + ": version " + value.version() + " of " + format + ", this vitcap reads version " + VERSION);
        }
        return value;
    }

    /** A finished cache's index, checked to have one item per row. */
    static Index readIndex(Path file) throws DatasetException {
        Index index = read(file, Index.class, INDEX_FORMAT);
        List<Row> rows = JsonFiles.require(file, "top level", index.items(), "items");
        if (index.size() < 1 || rows.size() != index.rows()) {
            throw DatasetException.at(file, "top level", "size " + index.size() + " and " + rows.size() + " items for " + index.rows() + " rows");
        }
        return index;
    }

    static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(out, value));
    }

    static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name));
    }
}
