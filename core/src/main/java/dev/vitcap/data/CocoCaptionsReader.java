package dev.vitcap.data;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * COCO captions JSON ({@code captions_train2014.json} and kin): {@code images[] {id, file_name}} and
 * {@code annotations[] {image_id, caption}}. The file carries no split, so it is taken from the file's
 * name as COCO names them: a word starting {@code val} or {@code test} ({@code captions_val2014.json}),
 * else train.
 */
final class CocoCaptionsReader {
    private CocoCaptionsReader() {
    }

    record CocoFile(List<CocoImage> images, List<CocoAnnotation> annotations) {
    }

    record CocoImage(String id, @JsonProperty("file_name") String fileName) {
    }

    record CocoAnnotation(@JsonProperty("image_id") String imageId, String caption) {
    }

    static CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        CocoFile coco = JsonFiles.read(file, CocoFile.class);
        List<CocoImage> images = JsonFiles.require(file, "top level", coco.images(), "images");
        List<CocoAnnotation> annotations = JsonFiles.require(file, "top level", coco.annotations(), "annotations");
        String split = splitOf(file);
        ItemCollector items = new ItemCollector(file);
        for (int i = 0; i < images.size(); i++) {
            String where = "images[" + i + "]";
            CocoImage image = JsonFiles.require(file, where, images.get(i), "id");
            String id = JsonFiles.require(file, where, image.id(), "id");
            String name = JsonFiles.require(file, where, image.fileName(), "file_name");
            items.addImage(where, id, items.image(where, imageDir, name), split);
        }
        for (int i = 0; i < annotations.size(); i++) {
            String where = "annotations[" + i + "]";
            CocoAnnotation annotation = JsonFiles.require(file, where, annotations.get(i), "image_id");
            String id = JsonFiles.require(file, where, annotation.imageId(), "image_id");
            String caption = JsonFiles.require(file, where, annotation.caption(), "caption");
            if (!items.hasImage(id)) throw DatasetException.at(file, where, "image_id " + id + " is not in images[]");
            items.addCaption(where, id, caption);
        }
        return items.build();
    }

    private static final Pattern VAL_NAME = Pattern.compile("(?<![a-z])val");
    private static final Pattern TEST_NAME = Pattern.compile("(?<![a-z])test");

    static String splitOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (VAL_NAME.matcher(name).find()) return CaptionDataset.VAL;
        if (TEST_NAME.matcher(name).find()) return CaptionDataset.TEST;
        return CaptionDataset.TRAIN;
    }
}
