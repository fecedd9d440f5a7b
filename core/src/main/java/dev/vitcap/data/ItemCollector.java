package dev.vitcap.data;

import dev.vitcap.io.UserText;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gathers the images of one annotation file and their captions, keeping file order, for every reader. */
final class ItemCollector {
    private record Pending(String where, Path image, String split, List<String> captions) {
    }

    private final Path file;
    private final Map<String, Pending> byId = new LinkedHashMap<>();
    private final List<String> emptyCaptions = new ArrayList<>();

    ItemCollector(Path file) {
        this.file = file;
    }

    /** An image listed once, with its captions given later or alongside (COCO, Karpathy). */
    void addImage(String where, String imageId, Path image, String split) throws DatasetException {
        if (byId.putIfAbsent(imageId, new Pending(where, image, split, new ArrayList<>())) != null) {
            throw DatasetException.at(file, where, "image id " + imageId + " is listed twice");
        }
    }

    /** An image's path: {@code names} resolved in turn against {@code dir}; a name no path can hold (a NUL character) is an error at {@code where}. */
    Path image(String where, Path dir, String... names) throws DatasetException {
        Path path = dir;
        for (String name : names) {
            try {
                path = path.resolve(name);
            } catch (InvalidPathException e) {
                throw DatasetException.at(file, where, "'" + UserText.shown(name) + "' cannot be a file name");
            }
        }
        return path;
    }

    boolean hasImage(String imageId) {
        return byId.containsKey(imageId);
    }

    /** A caption of an image already added; blank captions are noted (where, which image) and dropped. */
    void addCaption(String where, String imageId, String caption) {
        if (caption.isBlank()) {
            emptyCaptions.add(file + ":" + where + ": empty caption of image " + imageId);
        } else {
            byId.get(imageId).captions().add(caption.strip());
        }
    }

    /** One caption line of a format with a line per caption (token file, CSV, JSONL): the image is added at first sight. */
    void addLine(String where, String imageId, Path image, String split, String caption) throws DatasetException {
        Pending known = byId.computeIfAbsent(imageId, id -> new Pending(where, image, split, new ArrayList<>()));
        if (!known.split().equals(split)) {
            throw DatasetException.at(file, where, "image " + imageId + " is in split '" + split + "' here but in '" + known.split() + "' earlier");
        }
        addCaption(where, imageId, caption);
    }

    /**
     * The images with at least one caption; an image left without any (all blank, or none given) is
     * noted and dropped too, since it can be neither trained on nor scored. No caption at all is an error.
     */
    CaptionDataset build() throws DatasetException {
        if (byId.isEmpty()) throw new DatasetException(file + ": no images listed");
        List<CaptionDataset.Item> items = new ArrayList<>(byId.size());
        List<String> dropped = new ArrayList<>(emptyCaptions);
        byId.forEach((id, p) -> {
            if (p.captions().isEmpty()) dropped.add(file + ":" + p.where() + ": image " + id + " has no caption");
            else items.add(new CaptionDataset.Item(id, p.image(), p.captions(), p.split()));
        });
        if (items.isEmpty()) {
            int blank = emptyCaptions.size(), images = byId.size();
            throw new DatasetException(file + ": no captions: " + (blank == 0 ? "none for its " + images + (images == 1 ? " image" : " images")
                    : blank == 1 ? "the only one is blank" : "all " + blank + " are blank"));
        }
        return new CaptionDataset(items, dropped);
    }
}
