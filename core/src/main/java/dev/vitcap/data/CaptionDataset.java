package dev.vitcap.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Images with their reference captions, in the order the annotation file lists them. Blank captions
 * are dropped by the readers (a caption of nothing teaches nothing and would skew the length
 * statistics), and so are images left without a caption (nothing to train on or score against); each
 * is listed in {@code emptyCaptions} (file, place and image) so the command can say so.
 */
public record CaptionDataset(List<Item> items, List<String> emptyCaptions) {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";

    /** One image: a stable id (COCO id or file name), where it lies, its captions and its split. */
    public record Item(String imageId, Path image, List<String> captions, String split) {
        public Item {
            Objects.requireNonNull(imageId);
            Objects.requireNonNull(image);
            Objects.requireNonNull(split);
            captions = List.copyOf(captions);
        }
    }

    public int emptyCaptionsDropped() {
        return emptyCaptions.size();
    }

    public CaptionDataset {
        emptyCaptions = List.copyOf(emptyCaptions);
        items = List.copyOf(items);
    }

    /** Reads an annotation file of any supported format, detected from the file; images are resolved against {@code imageDir}. */
    public static CaptionDataset read(Path annotations, Path imageDir) throws DatasetException {
        return DatasetFormat.detect(annotations).read(annotations, imageDir);
    }

    /** The items of one split, in file order. */
    public CaptionDataset split(String split) {
        return new CaptionDataset(items.stream().filter(i -> i.split().equals(split)).toList(), emptyCaptions);
    }

    public SortedSet<String> splits() {
        SortedSet<String> names = new TreeSet<>();
        for (Item item : items) names.add(item.split());
        return names;
    }

    /** Every caption of every item, in order: what a vocabulary is built from. */
    public List<String> captions() {
        return items.stream().flatMap(i -> i.captions().stream()).toList();
    }

    public int captionCount() {
        return items.stream().mapToInt(i -> i.captions().size()).sum();
    }

    public int size() {
        return items.size();
    }
}
