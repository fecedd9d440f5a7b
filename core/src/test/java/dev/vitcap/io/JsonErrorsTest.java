package dev.vitcap.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    record Image(String name, int width, List<String> tags) {
    }

    record File(List<Image> images) {
    }

    private static String describe(String json) {
        return JsonErrors.describe(assertThrows(JsonProcessingException.class, () -> JSON.readValue(json, File.class)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {'images': []}                          | line 1, column 2: unexpected ''' where a quoted key belongs
            {"images": NaN}                         | line 1, column 15: 'NaN' is not a JSON number
            {"images": [01]}                        | line 1, column 14: invalid number (leading zeroes are not allowed)
            {"images" []}                           | line 1, column 11: unexpected '[' where ':' belongs
            {"images": [}                           | line 1, column 13: '}' where ']' should close the list begun at line 1, column 12
            {"images": tru}                         | line 1, column 12: unknown word 'tru' where a value belongs
            # comment                               | line 1, column 2: unexpected '#' (JSON has no comments)
            {"images": ["\\q"]}                     | line 1, column 15: unknown escape '\\q' in a string
            {"images": [{"name": [1]}]}             | line 1, column 22: images[0].name: expected a string, found a list
            {"images": [{"width": "wide"}]}         | line 1, column 23: images[0].width: expected a whole number, found "wide"
            {"images": [{"width": 99999999999}]}    | line 1, column 34: images[0].width: number 99999999999 is out of range
            {"images": [{"tags": {}}]}              | line 1, column 22: images[0].tags: expected a list, found an object
            {"images": ["x"]}                       | line 1, column 13: images[0]: expected an object, found a string
            {"images": []} []                       | line 1, column 16: more text after the end of the JSON value
            {"images": [                            | line 1, column 13: the text ends before the JSON does (truncated?)
            """)
    void jacksonErrorsReadInTheUsersWords(String json, String expected) {
        assertEquals(expected, describe(json));
    }

    @Test
    void controlCharactersAndDeepNestingSayWhat() {
        assertEquals("line 1, column 15: control character 10 inside a string (write it escaped)", describe("{\"images\": [\"a\nb\"]}"));
        assertEquals("line 1, column 2: unexpected control character 0", describe("\u0000"));
        String deep = "[".repeat(1200);
        assertEquals("nested more than 1000 levels deep",
                JsonErrors.describe(assertThrows(JsonProcessingException.class, () -> JSON.readTree(deep))));
    }

    enum Kind { ATTENTION, SHOW_TELL }

    record Decoder(Kind kind) {
    }

    @Test
    void enumsAndUnknownKeysSayWhatIsAllowed() {
        ObjectMapper strict = new ObjectMapper();
        assertEquals("line 1, column 10: kind: expected one of ATTENTION, SHOW_TELL, found \"LSTM\"", JsonErrors.describe(
                assertThrows(JsonProcessingException.class, () -> strict.readValue("{\"kind\": \"LSTM\"}", Decoder.class))));
        assertEquals("line 1, column 11: unknown key 'knd'", JsonErrors.describe(
                assertThrows(JsonProcessingException.class, () -> strict.readValue("{\"knd\": 1}", Decoder.class))));
    }

    @Test
    void aRecordsOwnRefusalIsGivenInItsWords() {
        record Positive(int n) {
            Positive {
                if (n < 1) throw new IllegalArgumentException("n must be at least 1, not " + n);
            }
        }
        JsonNode tree = JSON.createObjectNode().put("n", 0);
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JSON.treeToValue(tree, Positive.class));
        assertEquals("n must be at least 1, not 0", JsonErrors.describe(e));
    }
}
