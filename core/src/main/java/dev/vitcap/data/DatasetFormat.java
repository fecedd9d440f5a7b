package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The annotation formats vitcap reads, and how a file's format is told from its name and first bytes. */
public enum DatasetFormat {
    COCO("COCO captions JSON"),
    KARPATHY("Karpathy split JSON"),
    FLICKR_TOKEN("Flickr8k token file"),
    CSV("CSV"),
    JSONL("JSON Lines");

    private static final String EXPECTED = "expected COCO captions JSON, a Karpathy split JSON, a Flickr8k token file, "
            + "CSV with the header image,caption, or JSON Lines of {\"image\", \"caption\"}";
    private static final int SNIFF_CHARS = 4096;

    private final String description;

    DatasetFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Reads a file of this format; image paths are resolved against {@code imageDir}. */
    public CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        TextFiles.requireNonEmptyFile(file);
        return switch (this) {
            case COCO -> CocoCaptionsReader.read(file, imageDir);
            case KARPATHY -> KarpathySplitReader.read(file, imageDir);
            case FLICKR_TOKEN -> FlickrTokenReader.read(file, imageDir);
            case CSV -> CsvCaptionsReader.read(file, imageDir);
            case JSONL -> JsonlCaptionsReader.read(file, imageDir);
        };
    }

    /**
     * The format of an annotation file. An extension that names one format ({@code .csv},
     * {@code .jsonl}, {@code .ndjson}) settles it, so a broken file of that kind gets that reader's
     * precise error; otherwise the content decides: JSON by its keys, a token file by its
     * {@code IMAGE#N<TAB>} lines, CSV by its header.
     */
    public static DatasetFormat detect(Path file) throws DatasetException {
        TextFiles.requireNonEmptyFile(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return JSONL;
        if (name.endsWith(".csv")) return CSV;
        String first = TextFiles.firstLine(file, SNIFF_CHARS);
        if (first.isEmpty()) throw new DatasetException(file + ": empty file (only blank lines)");
        if (first.startsWith("{")) return detectJson(file);
        if (FlickrTokenReader.LINE.matcher(first).matches()) return FLICKR_TOKEN;
        if (CsvCaptionsReader.isHeader(first)) return CSV;
        String shown = first.length() > 80 ? first.substring(0, 80) + "..." : first;
        throw new DatasetException(file + ": not a caption file vitcap knows (" + EXPECTED + "); it begins: " + shown);
    }

    /**
     * Reads no further than needed: the top-level keys up to {@code annotations} (COCO) or the first
     * entry of {@code images} (Karpathy's have {@code sentences}, COCO's {@code file_name}); a
     * top-level {@code image} or {@code caption} key is the first line of JSON Lines.
     */
    private static DatasetFormat detectJson(Path file) throws DatasetException {
        try (JsonParser json = JsonFiles.MAPPER.createParser(file.toFile())) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                JsonToken value = json.nextToken();
                switch (key) {
                    case "annotations":
                        return COCO;
                    case "image", "caption":
                        return JSONL;
                    case "images":
                        JsonToken first = value == JsonToken.START_ARRAY ? json.nextToken() : value;
                        if (first == JsonToken.START_OBJECT) return detectImageEntry(file, json);
                        if (first != JsonToken.END_ARRAY) {
                            throw new DatasetException(file + ": 'images' is not a list of objects (" + EXPECTED + ")");
                        }
                        break;
                    default:
                        json.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw DatasetException.badFormat(file, "JSON", e);
        } catch (IOException e) {
            throw TextFiles.unreadable(file, e);
        }
        throw new DatasetException(file + ": JSON without 'images', 'annotations' or 'image' keys (" + EXPECTED + ")");
    }

    private static DatasetFormat detectImageEntry(Path file, JsonParser json) throws IOException {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            json.nextToken();
            if (key.equals("sentences")) return KARPATHY;
            if (key.equals("file_name")) return COCO;
            json.skipChildren();
        }
        throw new DatasetException(file + ": images[0] has neither 'sentences' (Karpathy split) nor 'file_name' (COCO)");
    }
}
