package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.io.JsonErrors;

import java.io.IOException;
import java.nio.file.Path;

/** Binds annotation JSON to the readers' records and turns every failure into one line naming the file and place. */
public final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Text after the value is a damaged or concatenated file, not something to ignore.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

    /** A value of the wrong type (a list where a string belongs), at its place and JSON path: {@code FILE:3:14: images[3].file_name: expected a string, found a list}. */
    static DatasetException wrongShape(Path file, JsonMappingException e) {
        return new DatasetException(file + JsonErrors.at(e) + ": " + JsonErrors.problem(e));
    }

    /** The value of a key the format requires, or an error naming where it is missing. */
    public static <T> T require(Path file, String where, T value, String key) throws DatasetException {
        if (value == null) throw DatasetException.at(file, where, "missing key '" + key + "'");
        return value;
    }
}
