package dev.vitcap.tune;

import dev.vitcap.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceTest {
    static final String EXAMPLE = """
            {"lr": {"log_uniform": [3e-4, 1e-2]}, "label-smoothing": {"uniform": [0.0, 0.2]},
             "decoder.hidden": {"choice": [128, 256, 512]}, "decoder.dropout": {"uniform": [0.0, 0.5]},
             "encoder.depth": {"int": [2, 4]}}""";

    static Space example() throws FileFormatException {
        return Space.parse(EXAMPLE, "space.json");
    }

    @Test
    void readsTheExampleInFileOrder() throws Exception {
        Space space = example();
        assertEquals(List.of("lr", "label-smoothing", "decoder.hidden", "decoder.dropout", "encoder.depth"), space.names());
        assertEquals(5, space.dimensions());
        assertTrue(space.logScale("lr"));
        assertFalse(space.logScale("label-smoothing"));
        assertTrue(space.numeric("decoder.hidden"));
        assertFalse(Space.parse("{\"act\": {\"choice\": [\"gelu\", \"relu\"]}}", "s").numeric("act"));
        assertThrows(IllegalArgumentException.class, () -> space.logScale("momentum"));
    }

    @Test
    void readsAFileAndSaysWhenItIsMissing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("space.json");
        Files.writeString(file, EXAMPLE);
        assertEquals(5, Space.read(file).dimensions());
        Path missing = dir.resolve("none.json");
        assertEquals(missing + ": no such file", assertThrows(FileFormatException.class, () -> Space.read(missing)).getMessage());
    }

    @Test
    void samplesStayInBoundsWithTheTypesOfTheirKind() throws Exception {
        Space space = example();
        Random rng = new Random(1);
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> p = space.sample(rng);
            assertEquals(space.names(), List.copyOf(p.keySet()));
            double lr = (Double) p.get("lr");
            assertTrue(lr >= 3e-4 && lr <= 1e-2, p::toString);
            double smoothing = (Double) p.get("label-smoothing");
            assertTrue(smoothing >= 0 && smoothing <= 0.2, p::toString);
            assertTrue(List.of(128L, 256L, 512L).contains(p.get("decoder.hidden")), p::toString);
            long depth = (Long) p.get("encoder.depth");
            assertTrue(depth >= 2 && depth <= 4, p::toString);
        }
    }

    @Test
    void logUniformSamplesAreSpreadInLogSpace() throws Exception {
        Space space = Space.parse("{\"lr\": {\"log_uniform\": [1e-4, 1e-2]}}", "s");
        Random rng = new Random(7);
        double[] lr = new double[2001];
        for (int i = 0; i < lr.length; i++) lr[i] = (Double) space.sample(rng).get("lr");
        Arrays.sort(lr);
        // The median of a log-uniform is the geometric mean, 1e-3; a uniform's would be about 5e-3.
        assertEquals(-3, Math.log10(lr[lr.length / 2]), 0.1);
    }

    @Test
    void everyIntAndChoiceIsDrawn() throws Exception {
        Space space = example();
        Random rng = new Random(3);
        var depths = new java.util.HashSet<>();
        var hidden = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> p = space.sample(rng);
            depths.add(p.get("encoder.depth"));
            hidden.add(p.get("decoder.hidden"));
        }
        assertEquals(3, depths.size());
        assertEquals(3, hidden.size());
    }

    @Test
    void theSameSeedGivesTheSameSamples() throws Exception {
        Space space = example();
        Random a = new Random(42), b = new Random(42);
        for (int i = 0; i < 20; i++) assertEquals(space.sample(a), space.sample(b));
    }

    @Test
    void unitCubeRoundTrips() throws Exception {
        Space space = Space.parse(EXAMPLE.replace("}}", "}, \"act\": {\"choice\": [\"gelu\", true, 0.5]},"
                + " \"fixed\": {\"int\": [3, 3]}, \"only\": {\"choice\": [\"x\"]}}"), "s");
        Random rng = new Random(5);
        for (int i = 0; i < 200; i++) {
            Map<String, Object> p = space.sample(rng);
            double[] u = space.toUnit(p);
            for (double c : u) assertTrue(c >= 0 && c <= 1, Arrays.toString(u));
            Map<String, Object> back = space.fromUnit(u);
            assertEquals(p.keySet(), back.keySet());
            assertEquals((Double) p.get("lr"), (Double) back.get("lr"), 1e-12 * (Double) p.get("lr"));
            assertEquals((Double) p.get("decoder.dropout"), (Double) back.get("decoder.dropout"), 1e-12);
            for (String exact : List.of("decoder.hidden", "encoder.depth", "act", "fixed", "only")) assertEquals(p.get(exact), back.get(exact));
        }
        double[] u = new double[space.dimensions()];
        Arrays.fill(u, 0.5);
        assertArrayEquals(u, space.toUnit(space.fromUnit(u)), 1e-12);
    }

    @Test
    void unitCoordinatesFollowTheScales() throws Exception {
        Space space = example();
        Map<String, Object> p = new LinkedHashMap<>(Map.of("lr", Math.sqrt(3e-4 * 1e-2), "label-smoothing", 0.05,
                "decoder.hidden", 512L, "decoder.dropout", 0.5, "encoder.depth", 3L));
        assertArrayEquals(new double[]{0.5, 0.25, 1, 1, 0.5}, space.toUnit(p), 1e-12);
        Map<String, Object> clamped = space.fromUnit(new double[]{-1, 2, 0.3, 0.74, 0.8});
        assertEquals(3e-4, (Double) clamped.get("lr"), 1e-18);
        assertEquals(0.2, clamped.get("label-smoothing"));
        assertEquals(256L, clamped.get("decoder.hidden"));
        assertEquals(4L, clamped.get("encoder.depth"));
    }

    @Test
    void checkNormalisesValuesReadBackFromALog() throws Exception {
        Space space = example();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("encoder.depth", 3);
        read.put("lr", 0.001);
        read.put("label-smoothing", 0);
        read.put("decoder.hidden", 256);
        read.put("decoder.dropout", 0.25);
        Map<String, Object> checked = space.check(read, "trials.jsonl:4");
        assertEquals(space.names(), List.copyOf(checked.keySet()));
        assertEquals(3L, checked.get("encoder.depth"));
        assertEquals(256L, checked.get("decoder.hidden"));
        assertInstanceOf(Double.class, checked.get("label-smoothing"));

        read.put("lr", 0.5);
        assertEquals("trials.jsonl:4: \"lr\": 0.5 is not in log_uniform [3.0E-4, 0.01]", refusal(space, read));
        read.put("lr", 0.001);
        read.put("decoder.hidden", 100);
        assertEquals("trials.jsonl:4: \"decoder.hidden\": 100 is not in choice [128, 256, 512]", refusal(space, read));
        read.put("decoder.hidden", 128);
        read.put("encoder.depth", 2.5);
        assertEquals("trials.jsonl:4: \"encoder.depth\": 2.5 is not in int [2, 4]", refusal(space, read));
        read.put("encoder.depth", 2);
        read.put("momentum", 0.9);
        assertEquals("trials.jsonl:4: unknown parameter \"momentum\"", refusal(space, read));
        read.remove("momentum");
        read.remove("lr");
        assertEquals("trials.jsonl:4: \"lr\" is missing", refusal(space, read));
    }

    private static String refusal(Space space, Map<String, Object> params) {
        return assertThrows(FileFormatException.class, () -> space.check(params, "trials.jsonl:4")).getMessage();
    }

    @Test
    void eachBadSpaceIsOneLineSayingWhatAndWhere() {
        assertBad("{\"lr\": {\"log_uniform\": [0, 1]}}", "space.json: \"lr\": log_uniform needs two bounds above 0 with low < high, not [0, 1]");
        assertBad("{\"lr\": {\"log_uniform\": [0.1, 0.01]}}", "space.json: \"lr\": log_uniform needs two bounds above 0 with low < high, not [0.1, 0.01]");
        assertBad("{\"p\": {\"uniform\": [1, 1]}}", "space.json: \"p\": uniform needs two bounds with low < high, not [1, 1]");
        assertBad("{\"p\": {\"uniform\": [\"a\", 1]}}", "space.json: \"p\": uniform needs two bounds with low < high, not [\"a\", 1]");
        assertBad("{\"p\": {\"uniform\": [0, 1, 2]}}", "space.json: \"p\": uniform needs two bounds with low < high, not [0, 1, 2]");
        assertBad("{\"p\": {\"uniform\": 1}}", "space.json: \"p\": uniform needs two bounds with low < high, not 1");
        assertBad("{\"p\": {\"uniform\": [0, 1e400]}}", "space.json: \"p\": uniform needs two bounds with low < high, not [0, Infinity]");
        assertBad("{\"depth\": {\"int\": [2, 4.5]}}", "space.json: \"depth\": int needs two whole-number bounds with low <= high, not [2, 4.5]");
        assertBad("{\"depth\": {\"int\": [4, 2]}}", "space.json: \"depth\": int needs two whole-number bounds with low <= high, not [4, 2]");
        assertBad("{\"act\": {\"choice\": []}}", "space.json: \"act\": choice needs a list of one or more numbers, strings or true/false values, not []");
        assertBad("{\"act\": {\"choice\": [1, [2]]}}", "space.json: \"act\": choice needs a list of one or more numbers, strings or true/false values, not [1, [2]]");
        assertBad("{\"act\": {\"choice\": [{\"a\": 1}]}}", "space.json: \"act\": choice needs a list of one or more numbers, strings or true/false values, not [{\"a\":1}]");
        assertBad("{\"act\": {\"choice\": [null]}}", "space.json: \"act\": choice needs a list of one or more numbers, strings or true/false values, not [null]");
        assertBad("{\"lr\": {\"normal\": [0, 1]}}", "space.json: \"lr\": unknown distribution \"normal\" (expected log_uniform, uniform, int or choice)");
        assertBad("{\"lr\": {\"uniform\": [0, 1], \"int\": [0, 1]}}",
                "space.json: \"lr\": must be an object with one key, log_uniform, uniform, int or choice, not {\"uniform\":[0,1],\"int\":[0,1]}");
        assertBad("{\"lr\": {}}", "space.json: \"lr\": must be an object with one key, log_uniform, uniform, int or choice, not {}");
        assertBad("{\"lr\": 0.01}", "space.json: \"lr\": must be an object with one key, log_uniform, uniform, int or choice, not 0.01");
        assertBad("{}", "space.json: the search space has no parameters");
        assertBad("[1, 2]", "space.json: the search space must be an object keyed by parameter name, not [1, 2]");
        assertBad("", "space.json: empty (no JSON value)");
        assertBad("{\"lr\": {\"uniform\": [0, 1]}", "space.json: not valid JSON: line 1, column 27: the text ends before the JSON does (truncated?)");
        assertBad("{\"lr\": {\"uniform\": [0, 1]}} 1", "space.json: not valid JSON: line 1, column 29: more text after the end of the JSON value");
    }

    @Test
    void aParameterNamedTwiceIsAnError() {
        assertBad("{\"lr\": {\"uniform\": [0, 1]},\n \"lr\": {\"uniform\": [0, 2]}}", "space.json: not valid JSON: line 2, column 6: duplicate field 'lr'");
    }

    private static void assertBad(String json, String expected) {
        String message = assertThrows(FileFormatException.class, () -> Space.parse(json, "space.json")).getMessage();
        assertEquals(expected, message);
    }
}
