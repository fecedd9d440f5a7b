package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Binds annotation JSON to the readers' records and turns every failure into one line naming the file and place. */
public final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonFiles() {
    }

    public static <T> T read(Path file, Class<T> type) throws DatasetException {
        try {
            T value = MAPPER.readValue(file.toFile(), type);
            if (value == null) throw new DatasetException(file + ": expected a JSON object, found null");
            return value;
        } catch (JsonMappingException e) {
            // Databind wraps the parser's syntax errors; those are bad JSON, not a value of the wrong type.
            if (e.getCause() instanceof JsonProcessingException syntax && !(syntax instanceof JsonMappingException)) {
                throw DatasetException.badFormat(file, "JSON", syntax);
            }
            throw wrongShape(file, e);
        } catch (JsonProcessingException e) {
            throw DatasetException.badFormat(file, "JSON", e);
        } catch (IOException e) {
            throw TextFiles.unreadable(file, e);
        }
    }

    /** A value of the wrong type (an array where a string belongs): reported at its JSON path, e.g. {@code images[3].file_name}. */
    static DatasetException wrongShape(Path file, JsonMappingException e) {
        String place = path(e.getPath());
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        return DatasetException.at(file, place.isEmpty() ? "top level" : place,
                "unexpected value" + line + ": " + DatasetException.firstLine(e.getOriginalMessage()));
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The value of a key the format requires, or an error naming where it is missing. */
    public static <T> T require(Path file, String where, T value, String key) throws DatasetException {
        if (value == null) throw DatasetException.at(file, where, "missing key '" + key + "'");
        return value;
    }
}
