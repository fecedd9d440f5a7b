package dev.vitcap.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Karpathy's split files ({@code dataset_coco.json}, {@code dataset_flickr8k.json},
 * {@code dataset_flickr30k.json}): {@code images[] {filepath?, filename, split, sentences[] {raw}, cocoid?}}.
 * The id is the COCO id where there is one (so it matches COCO's own files), else the file name.
 * Only {@code raw} is read: the vocabulary re-tokenises it with the tokenizer the metrics use, so
 * the pre-made {@code tokens} would be a second, different tokenisation.
 */
final class KarpathySplitReader {
    private KarpathySplitReader() {
    }

    record KarpathyFile(List<KarpathyImage> images) {
    }

    record KarpathyImage(String filepath, String filename, String split, List<Sentence> sentences, String cocoid) {
    }

    record Sentence(String raw) {
    }

    static CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        List<KarpathyImage> images = JsonFiles.require(file, "top level", JsonFiles.read(file, KarpathyFile.class).images(), "images");
        ItemCollector items = new ItemCollector(file);
        for (int i = 0; i < images.size(); i++) {
            String where = "images[" + i + "]";
            KarpathyImage image = JsonFiles.require(file, where, images.get(i), "filename");
            String name = JsonFiles.require(file, where, image.filename(), "filename");
            String split = splitOf(file, where, JsonFiles.require(file, where, image.split(), "split"));
            List<Sentence> sentences = JsonFiles.require(file, where, image.sentences(), "sentences");
            Path path = image.filepath() == null ? items.image(where, imageDir, name) : items.image(where, imageDir, image.filepath(), name);
            String id = image.cocoid() != null ? image.cocoid() : name;
            items.addImage(where, id, path, split);
            for (int s = 0; s < sentences.size(); s++) {
                String sentenceWhere = where + ".sentences[" + s + "]";
                Sentence sentence = JsonFiles.require(file, sentenceWhere, sentences.get(s), "raw");
                items.addCaption(sentenceWhere, id, JsonFiles.require(file, sentenceWhere, sentence.raw(), "raw"));
            }
        }
        return items.build();
    }

    /** Karpathy's {@code restval} images (COCO val2014 images outside his val and test) are training images. */
    private static String splitOf(Path file, String where, String split) throws DatasetException {
        return switch (split) {
            case "train", "restval" -> CaptionDataset.TRAIN;
            case "val" -> CaptionDataset.VAL;
            case "test" -> CaptionDataset.TEST;
            default -> throw DatasetException.at(file, where, "unknown split '" + split + "' (expected train, restval, val or test)");
        };
    }
}
