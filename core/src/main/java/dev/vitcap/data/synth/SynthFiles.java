package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.io.Missing;

import java.io.CharConversionException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a generated world under its directory DIR: {@code images/SPLIT/NNNNNN.png},
 * COCO-format captions in {@code annotations/SPLIT.json} (each {@code file_name} relative to
 * {@code images/SPLIT}, as in COCO) and the scenes in {@code scenes/SPLIT.json}.
 */
public final class SynthFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SynthFiles() {
    }

    public static Path imageDir(Path dir, Split split) {
        return dir.resolve("images").resolve(split.word());
    }

    public static Path annotations(Path dir, Split split) {
        return dir.resolve("annotations").resolve(split.word() + ".json");
    }

    public static Path scenes(Path dir, Split split) {
        return dir.resolve("scenes").resolve(split.word() + ".json");
    }

    /**
     * The scenes of a synthetic split given its annotations file ({@code DIR/annotations/SPLIT.json} →
     * {@code DIR/scenes/SPLIT.json}), or null when the file is not laid out that way.
     */
    public static Path scenesBeside(Path annotations) {
        Path folder = annotations.toAbsolutePath().getParent();
        if (folder == null || folder.getParent() == null || !folder.getFileName().toString().equals("annotations")) return null;
        return folder.getParent().resolve("scenes").resolve(annotations.getFileName());
    }

    /** The image's file name, six digits of its id. */
    public static String fileName(int imageId) {
        return String.format("%06d.png", imageId);
    }

    /** A COCO captions file: what the world is, its images, and five captions per image. */
    @JsonPropertyOrder({"info", "images", "annotations"})
    public record Captions(Info info, List<Image> images, List<Annotation> annotations) {
    }

    /** How the split was generated, so that it can be generated again. */
    @JsonPropertyOrder({"description", "split", "size", "seed"})
    public record Info(String description, String split, int size, long seed) {
    }

    @JsonPropertyOrder({"id", "file_name", "width", "height"})
    public record Image(int id, @JsonProperty("file_name") String fileName, int width, int height) {
    }

    @JsonPropertyOrder({"id", "image_id", "caption"})
    public record Annotation(int id, @JsonProperty("image_id") int imageId, String caption) {
    }

    /** A scenes file: the split's scenes in image id order. */
    @JsonPropertyOrder({"split", "scenes"})
    public record Scenes(String split, List<Scene> scenes) {
    }

    static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(out, value));
    }

    public static Captions readCaptions(Path file) throws IOException {
        return read(file, Captions.class, "synthetic captions file");
    }

    /** The scenes of a scenes file by image id. */
    public static Map<Integer, Scene> readScenes(Path file) throws IOException {
        Scenes scenes = read(file, Scenes.class, "scenes file");
        if (scenes.scenes() == null) throw new FileFormatException(file + ": not a scenes file (no \"scenes\")");
        Map<Integer, Scene> byId = new LinkedHashMap<>();
        for (Scene scene : scenes.scenes()) {
            if (scene == null) throw new FileFormatException(file + ": not a scenes file (a scene is null)");
            byId.put(scene.imageId(), scene);
        }
        return byId;
    }

    private static <T> T read(Path file, Class<T> type, String what) throws IOException {
        try {
            T value = JSON.readValue(file.toFile(), type);
            if (value == null) throw new FileFormatException(file + ": not a " + what + " (null)");
            return value;
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file + JsonErrors.at(e) + ": not a " + what + ": " + JsonErrors.problem(e));
        } catch (FileNotFoundException e) {
            throw new FileFormatException(file + ": " + Missing.why(file));
        } catch (CharConversionException e) {
            throw new FileFormatException(file + ": not UTF-8 text");
        }
    }
}
