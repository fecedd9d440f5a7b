package dev.vitcap.metrics;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.Missing;
import dev.vitcap.io.JsonErrors;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the caption files of an evaluation: reference captions in the COCO captions format
 * ({@code images}, {@code annotations[].image_id/caption}) or the Karpathy split format
 * ({@code images[].sentences[].raw}, {@code split}, image id {@code cocoid} or else {@code imgid}),
 * told apart by content, and candidates in the COCO results format ({@code [{image_id, caption}]}).
 * Image ids are JSON integers or strings, compared as JSON values.
 */
public final class CaptionFiles {
    /** Text after the value is a damaged or concatenated file, not something to ignore. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reference captions by image, in the file's image order. */
    public record References(Path file, Map<JsonNode, List<String>> byImage) {}

    /** One result. */
    public record Result(JsonNode imageId, String caption) {}

    /**
     * The images to score, in the references' order, and what {@code lenient} matching left out.
     *
     * @param missingResults images without a result
     * @param unknownImages results for images the references lack
     * @param duplicates results after the first for the same image
     * @param noReferences images without a reference caption that is not blank
     */
    public record Matched(List<JsonNode> imageIds, List<List<String>> references, List<String> candidates,
            int missingResults, int unknownImages, int duplicates, int noReferences) {
        public int skipped() {
            return missingResults + unknownImages + duplicates + noReferences;
        }

        /** What was skipped, in words ({@link #mismatch}). */
        public String skippedText() {
            return mismatch(missingResults, unknownImages, duplicates, noReferences);
        }
    }

    /** How results and references failed to match, in the words every scoring command uses. */
    public static String mismatch(long missingResults, long unknownImages, long duplicates, long noReferences) {
        return missingResults + " image(s) without a result, " + unknownImages + " result(s) for unknown images, "
                + duplicates + " duplicate result(s), " + noReferences + " image(s) without references";
    }

    private CaptionFiles() {}

    /**
     * Reads references; {@code split} picks the images of a Karpathy-format file and is refused for COCO.
     * A file without a caption that is not blank is refused: it would score every result zero.
     */
    public static References readReferences(Path file, String split) throws CaptionFileException {
        References references = readAnyReferences(file, split);
        List<String> captions = references.byImage().values().stream().flatMap(List::stream).toList();
        if (captions.stream().allMatch(String::isBlank)) {
            throw new CaptionFileException(file + ": no reference captions" + (captions.isEmpty() ? "" : ": all " + captions.size() + " are blank")
                    + (split == null ? "" : " in split \"" + split + "\""));
        }
        return references;
    }

    private static References readAnyReferences(Path file, String split) throws CaptionFileException {
        JsonNode root = readJson(file);
        JsonNode images = root.path("images");
        boolean karpathy = images.isArray() && images.size() > 0 && images.get(0).has("sentences");
        if (karpathy) {
            return readKarpathy(file, images, split);
        }
        if (!root.path("annotations").isArray()) {
            throw new CaptionFileException(file + ": neither the COCO captions format (an object with an "
                    + "\"annotations\" array) nor the Karpathy split format (an object with an \"images\" array of "
                    + "objects with \"sentences\")");
        }
        if (split != null) {
            throw new CaptionFileException(file + ": --split applies to the Karpathy split format, but this file "
                    + "is in the COCO captions format");
        }
        return readCoco(file, root);
    }

    private static References readCoco(Path file, JsonNode root) throws CaptionFileException {
        Map<JsonNode, List<String>> byImage = new LinkedHashMap<>();
        JsonNode images = root.path("images");
        if (!images.isMissingNode() && !images.isArray()) {
            throw new CaptionFileException(file + ": \"images\" is not an array");
        }
        for (int i = 0; i < images.size(); i++) {
            byImage.putIfAbsent(imageId(file, images.get(i), "id", "images[" + i + "]"), new ArrayList<>());
        }
        boolean imagesListed = !byImage.isEmpty();
        JsonNode annotations = root.get("annotations");
        for (int i = 0; i < annotations.size(); i++) {
            String where = "annotations[" + i + "]";
            JsonNode annotation = annotations.get(i);
            JsonNode id = imageId(file, annotation, "image_id", where);
            String caption = text(file, annotation, "caption", where);
            List<String> captions = imagesListed ? byImage.get(id) : byImage.computeIfAbsent(id, k -> new ArrayList<>());
            // Like the reference, captions of images that "images" does not list are never scored.
            if (captions != null) {
                captions.add(caption);
            }
        }
        return new References(file, byImage);
    }

    private static References readKarpathy(Path file, JsonNode images, String split) throws CaptionFileException {
        Set<String> splits = new LinkedHashSet<>();
        for (JsonNode image : images) {
            splits.add(image.path("split").asText());
        }
        if (split == null) {
            throw new CaptionFileException(file + " is in the Karpathy split format: choose its images with --split "
                    + String.join("|", splits));
        }
        if (!splits.contains(split)) {
            throw new CaptionFileException(file + " has no images in split \"" + split + "\" (it has "
                    + String.join(", ", splits) + ")");
        }
        Map<JsonNode, List<String>> byImage = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String where = "images[" + i + "]";
            if (!split.equals(image.path("split").asText())) {
                continue;
            }
            JsonNode id = imageId(file, image, image.has("cocoid") ? "cocoid" : "imgid", where);
            JsonNode sentences = image.get("sentences");
            if (sentences == null || !sentences.isArray()) {
                throw new CaptionFileException(file + ": " + where + " has no \"sentences\" array");
            }
            List<String> captions = new ArrayList<>();
            for (int s = 0; s < sentences.size(); s++) {
                captions.add(text(file, sentences.get(s), "raw", where + ".sentences[" + s + "]"));
            }
            if (byImage.put(id, captions) != null) {
                throw new CaptionFileException(file + ": " + where + " repeats image id " + id);
            }
        }
        return new References(file, byImage);
    }

    public static List<Result> readResults(Path file) throws CaptionFileException {
        JsonNode root = readJson(file);
        if (!root.isArray()) {
            throw new CaptionFileException(file + ": not in the COCO results format (an array of "
                    + "{\"image_id\", \"caption\"} objects)");
        }
        List<Result> results = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            String where = "result [" + i + "]";
            results.add(new Result(imageId(file, root.get(i), "image_id", where), text(file, root.get(i), "caption", where)));
        }
        return results;
    }

    /** Pairs each referenced image with its result; any mismatch is an error unless {@code lenient}. */
    public static Matched match(References references, Path resultsFile, List<Result> results, boolean lenient)
            throws CaptionFileException {
        Map<JsonNode, Integer> firstResult = new LinkedHashMap<>();
        int unknown = 0;
        int duplicates = 0;
        for (int i = 0; i < results.size(); i++) {
            JsonNode id = results.get(i).imageId();
            if (!references.byImage().containsKey(id)) {
                if (!lenient) {
                    throw new CaptionFileException(resultsFile + ": result [" + i + "] is for image " + id
                            + ", which " + references.file() + " does not have (--lenient skips such results)");
                }
                unknown++;
            } else if (firstResult.containsKey(id)) {
                if (!lenient) {
                    throw new CaptionFileException(resultsFile + ": image " + id + " has more than one result (["
                            + firstResult.get(id) + "] and [" + i + "]; --lenient keeps the first)");
                }
                duplicates++;
            } else {
                firstResult.put(id, i);
            }
        }
        List<JsonNode> ids = new ArrayList<>();
        List<List<String>> refs = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        int missing = 0;
        int noReferences = 0;
        for (Map.Entry<JsonNode, List<String>> image : references.byImage().entrySet()) {
            Integer result = firstResult.get(image.getKey());
            if (result == null) {
                if (!lenient) {
                    throw new CaptionFileException(resultsFile + " has no result for image " + image.getKey()
                            + (references.byImage().size() > firstResult.size() + 1
                                    ? " (nor for " + (references.byImage().size() - firstResult.size() - 1) + " more)" : "")
                            + "; --lenient scores only the images with results");
                }
                missing++;
            } else if (image.getValue().stream().allMatch(String::isBlank)) {
                if (!lenient) {
                    throw new CaptionFileException(references.file() + " has no reference caption for image "
                            + image.getKey() + (image.getValue().isEmpty() ? "" : " that is not blank") + " (--lenient skips it)");
                }
                noReferences++;
            } else {
                ids.add(image.getKey());
                refs.add(image.getValue());
                candidates.add(results.get(result).caption());
            }
        }
        if (ids.isEmpty()) {
            throw new CaptionFileException(resultsFile + ": no result matches an image of " + references.file());
        }
        return new Matched(ids, refs, candidates, missing, unknown, duplicates, noReferences);
    }

    private static JsonNode readJson(Path file) throws CaptionFileException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = JSON.readTree(in);
            if (root == null || root.isMissingNode()) {
                throw new CaptionFileException(file + " is empty");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new CaptionFileException(file + ": " + Missing.why(file));
        } catch (AccessDeniedException e) {
            throw new CaptionFileException(file + ": permission denied");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new CaptionFileException(file + " is not valid JSON" + where + ": " + JsonErrors.problem(e));
        } catch (CharConversionException e) {
            throw new CaptionFileException(file + " is not UTF-8 text");
        } catch (IOException e) {
            // A symbolic link loop fails to open without being missing.
            throw new CaptionFileException(file + ": " + (Files.exists(file) ? "cannot read (" + e.getMessage() + ")" : Missing.why(file)));
        }
    }

    private static JsonNode imageId(Path file, JsonNode object, String key, String where) throws CaptionFileException {
        JsonNode id = required(file, object, key, where);
        if (!id.isIntegralNumber() && !id.isTextual()) {
            throw new CaptionFileException(file + ": " + where + "." + key + " is " + id + ", not an integer or a string");
        }
        return id;
    }

    private static String text(Path file, JsonNode object, String key, String where) throws CaptionFileException {
        JsonNode value = required(file, object, key, where);
        if (!value.isTextual()) {
            throw new CaptionFileException(file + ": " + where + "." + key + " is "
                    + value.getNodeType().toString().toLowerCase(Locale.ROOT) + ", not a string");
        }
        return value.asText();
    }

    /** {@code object.key}, which must exist. */
    private static JsonNode required(Path file, JsonNode object, String key, String where) throws CaptionFileException {
        if (object == null || !object.isObject()) {
            throw new CaptionFileException(file + ": " + where + " is not an object");
        }
        JsonNode value = object.get(key);
        if (value == null) {
            throw new CaptionFileException(file + ": " + where + " has no \"" + key + "\"");
        }
        return value;
    }
}
