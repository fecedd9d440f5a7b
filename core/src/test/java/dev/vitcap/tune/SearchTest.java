package dev.vitcap.tune;

import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a search records of a draw: four significant digits, never past the space's bounds, a choice's values exactly. */
class SearchTest {
    @Test
    void drawsAreRoundedWithinTheSpace() throws Exception {
        Space space = Space.parse("{\"a\": {\"uniform\": [0, 0.123456]}, \"b\": {\"log_uniform\": [1e-4, 1e-2]}, \"c\": {\"choice\": [0.123456, 0.5]}}", "space.json");
        Search search = new Search(Path.of("unused"), space, List.of(), List.of(), ModelConfig.preset("tiny", DecoderConfig.Kind.ATTENTION));
        assertEquals(Map.of("a", 0.05123, "b", 0.003457, "c", 0.123456), search.rounded(Map.of("a", 0.0512345, "b", 0.00345678, "c", 0.123456)));
        assertEquals(0.12345599, search.rounded(Map.of("a", 0.12345599, "b", 0.01, "c", 0.5)).get("a"), "0.1235 would lie past the bound");
        assertEquals(space.check(search.rounded(space.sample(new java.util.Random(3))), "test"), search.rounded(space.sample(new java.util.Random(3))));
    }
}
