package dev.vitcap.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Flickr8k token file ({@code Flickr8k.token.txt}; Flickr30k's {@code results_20130124.token} is
 * the same format): {@code IMAGE#N<TAB>caption}, one caption a line. Flickr8k's split lists
 * ({@code Flickr_8k.trainImages.txt}, {@code devImages}, {@code testImages}) give the splits when they
 * lie beside the token file; images in none of them are {@link #UNASSIGNED}. Without the lists every
 * image is train.
 */
final class FlickrTokenReader {
    /** The split of an image that Flickr8k's split lists leave out. */
    static final String UNASSIGNED = "unassigned";

    /** Used by format detection too: the name, a '#', the caption number, a tab. */
    static final Pattern LINE = Pattern.compile("([^\\t]+)#(\\d+)\\t(.*)");

    private static final Map<String, String> SPLIT_LISTS = Map.of(
            "Flickr_8k.trainImages.txt", CaptionDataset.TRAIN,
            "Flickr_8k.devImages.txt", CaptionDataset.VAL,
            "Flickr_8k.testImages.txt", CaptionDataset.TEST);

    private FlickrTokenReader() {
    }

    static CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        Map<String, String> splits = splitLists(file.toAbsolutePath().getParent());
        ItemCollector items = new ItemCollector(file);
        TextFiles.forEachLine(file, (number, text) -> {
            var m = LINE.matcher(text);
            if (!m.matches()) throw DatasetException.at(file, "line " + number, "expected IMAGE#N<TAB>caption");
            String name = m.group(1).strip();
            String split = splits.isEmpty() ? CaptionDataset.TRAIN : splits.getOrDefault(name, UNASSIGNED);
            items.addLine("line " + number, name, items.image("line " + number, imageDir, name), split, m.group(3));
        });
        return items.build();
    }

    private static Map<String, String> splitLists(Path dir) throws DatasetException {
        Map<String, String> splitOf = new HashMap<>();
        for (var list : SPLIT_LISTS.entrySet()) {
            Path path = dir.resolve(list.getKey());
            if (!Files.isRegularFile(path)) continue;
            try {
                for (String name : Files.readAllLines(path)) {
                    if (!name.isBlank()) splitOf.put(name.strip(), list.getValue());
                }
            } catch (IOException e) {
                throw TextFiles.unreadable(path, e);
            }
        }
        return splitOf;
    }
}
