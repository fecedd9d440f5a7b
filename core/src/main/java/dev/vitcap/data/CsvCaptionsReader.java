package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.vitcap.io.UserText;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CSV with a header row naming the columns {@code image} and {@code caption} (any order, other
 * columns ignored) and optionally {@code split} (default train); RFC 4180 quoting, so captions may
 * hold commas, quotes and line breaks. One row per caption; rows of the same image make one item.
 */
final class CsvCaptionsReader {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .build();

    private CsvCaptionsReader() {
    }

    /** Column positions of a header, or null when it lacks {@code image} or {@code caption}. */
    record Columns(int image, int caption, int split) {
        static Columns of(String[] header) {
            List<String> names = Arrays.stream(header).map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            int image = names.indexOf("image");
            int caption = names.indexOf("caption");
            return image < 0 || caption < 0 ? null : new Columns(image, caption, names.indexOf("split"));
        }

        int needed() {
            return Math.max(image, caption) + 1;
        }
    }

    /** Whether a first line is a header this reader takes; used by format detection. */
    static boolean isHeader(String line) {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(line)) {
            return rows.hasNextValue() && Columns.of(rows.nextValue()) != null;
        } catch (IOException e) {
            return false;
        }
    }

    static CaptionDataset read(Path file, Path imageDir) throws DatasetException {
        ItemCollector items = new ItemCollector(file);
        try (Reader in = TextFiles.open(file);
             MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(in)) {
            if (!rows.hasNextValue()) throw new DatasetException(file + ": empty file");
            String[] header = rows.nextValue();
            Columns columns = Columns.of(header);
            if (columns == null) {
                throw DatasetException.at(file, "line 1", "CSV header must name the columns image and caption (found: " + UserText.shown(String.join(",", header)) + ")");
            }
            while (rows.hasNextValue()) {
                String where = "line " + rows.getParser().currentLocation().getLineNr();
                String[] row = rows.nextValue();
                if (row.length < columns.needed()) {
                    throw DatasetException.at(file, where, "expected at least " + columns.needed() + " columns, found " + row.length);
                }
                String image = row[columns.image()];
                if (image.isBlank()) throw DatasetException.at(file, where, "empty image");
                String split = columns.split() >= 0 && columns.split() < row.length && !row[columns.split()].isBlank()
                        ? row[columns.split()] : CaptionDataset.TRAIN;
                items.addLine(where, image, items.image(where, imageDir, image), split, row[columns.caption()]);
            }
        } catch (JsonProcessingException e) {
            throw DatasetException.badFormat(file, "CSV", e);
        } catch (IOException e) {
            throw TextFiles.unreadable(file, e);
        }
        return items.build();
    }
}
