package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.vitcap.io.JsonErrors;

import java.nio.file.Path;

/**
 * JSON Lines: one object a line, {@code {"image": ..., "caption": ..., "split": ...}} with split
 * optional (default train). Lines of the same image make one item.
 */
final class JsonlCaptionsReader {
    private JsonlCaptionsReader() {
    }

    record Line(String image, String caption, String split) {
    }

    static CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        ItemCollector items = new ItemCollector(file);
        TextFiles.forEachLine(file, (number, text) -> {
            String where = "line " + number;
            Line line = parse(file, number, text);
            String image = JsonFiles.require(file, where, line.image(), "image");
            String caption = JsonFiles.require(file, where, line.caption(), "caption");
            if (image.isBlank()) throw DatasetException.at(file, where, "empty image");
            String split = line.split() == null || line.split().isBlank() ? CaptionDataset.TRAIN : line.split();
            items.addLine(where, image, items.image(where, imageDir, image), split, caption);
        });
        return items.build();
    }

    private static Line parse(Path file, int number, String text) throws DatasetException {
        try {
            Line line = JsonFiles.MAPPER.readValue(text, Line.class);
            if (line == null) throw DatasetException.at(file, "line " + number, "expected a JSON object, found null");
            return line;
        } catch (JsonMappingException e) {
            throw DatasetException.at(file, "line " + number, JsonErrors.problem(e) + " (each line is {\"image\": ..., \"caption\": ...})");
        } catch (JsonProcessingException e) {
            throw DatasetException.badFormat(file, number, e);
        }
    }
}
