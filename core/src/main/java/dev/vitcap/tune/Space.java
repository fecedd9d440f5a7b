package dev.vitcap.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.io.Missing;
import dev.vitcap.io.UserText;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The search space: for each parameter, in file order, the distribution its values are drawn from. Read
 * from a JSON object keyed by parameter name, each value exactly one of {@code {"log_uniform": [low, high]}}
 * (0 &lt; low &lt; high, uniform in log space), {@code {"uniform": [low, high]}} (low &lt; high),
 * {@code {"int": [low, high]}} (whole numbers, both ends included, low &le; high) and
 * {@code {"choice": [v1, v2, ...]}} (one or more numbers, strings or booleans).
 * <p>
 * A point of the space also has a place in the unit cube [0, 1]<sup>d</sup> ({@link #toUnit},
 * {@link #fromUnit}), where the search algorithms work without knowing the parameters' kinds.
 */
public final class Space {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String KINDS = "log_uniform, uniform, int or choice";

    private final Map<String, Distribution> parameters;

    private Space(Map<String, Distribution> parameters) {
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** The space in {@code file}; anything wrong with it is a {@link FileFormatException} of one line. */
    public static Space read(Path file) throws IOException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": " + Missing.why(file));
        } catch (MalformedInputException e) {
            throw new FileFormatException(file + ": not UTF-8 text");
        }
        return parse(json, file.toString());
    }

    /** The space written in {@code json}; {@code where} names it in errors. */
    public static Space parse(String json, String where) throws FileFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(where + ": not valid JSON: " + JsonErrors.describe(e));
        }
        if (root == null || root.isMissingNode()) throw new FileFormatException(where + ": empty (no JSON value)");
        if (!root.isObject()) {
            throw new FileFormatException(where + ": the search space must be an object keyed by parameter name, not " + shown(root));
        }
        if (root.isEmpty()) throw new FileFormatException(where + ": the search space has no parameters");
        Map<String, Distribution> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : root.properties()) {
            parameters.put(p.getKey(), distribution(p.getValue(), where + ": " + quoted(p.getKey())));
        }
        return new Space(parameters);
    }

    /** The parameters' names, in file order. */
    public List<String> names() {
        return List.copyOf(parameters.keySet());
    }

    public int dimensions() {
        return parameters.size();
    }

    /** A random point: {@code Double} for uniform and log_uniform, {@code Long} for int, the listed value for choice. */
    public Map<String, Object> sample(Random rng) {
        Map<String, Object> point = new LinkedHashMap<>();
        parameters.forEach((name, d) -> point.put(name, d.sample(rng)));
        return point;
    }

    /** {@code params}' place in [0, 1]<sup>d</sup>, in name order; log_uniform parameters on a log scale. */
    public double[] toUnit(Map<String, Object> params) {
        double[] u = new double[parameters.size()];
        int i = 0;
        for (Map.Entry<String, Distribution> p : parameters.entrySet()) {
            Object value = p.getValue().normalised(params.get(p.getKey()));
            if (value == null) throw new IllegalArgumentException(refusal(p.getKey(), params.get(p.getKey()), p.getValue()));
            u[i++] = p.getValue().toUnit(value);
        }
        return u;
    }

    /** The point at {@code u} in [0, 1]<sup>d</sup> (clamped to it): the inverse of {@link #toUnit}, ints rounded, choices the nearest. */
    public Map<String, Object> fromUnit(double[] u) {
        if (u.length != parameters.size()) {
            throw new IllegalArgumentException("a point of " + u.length + " coordinates in a space of " + parameters.size() + " dimensions");
        }
        Map<String, Object> point = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Distribution> p : parameters.entrySet()) {
            point.put(p.getKey(), p.getValue().fromUnit(Math.max(0, Math.min(1, u[i++]))));
        }
        return point;
    }

    /** Whether {@code name}'s values are best shown on a log scale (log_uniform). */
    public boolean logScale(String name) {
        return distribution(name) instanceof LogUniform;
    }

    /** Whether {@code name}'s values are all numbers (false only for a choice that lists something else). */
    public boolean numeric(String name) {
        return !(distribution(name) instanceof Choice c) || c.values.stream().allMatch(v -> v instanceof Number);
    }

    /** The values that bound {@code name}: its low and high, or every value of a choice (to check each once, up front). */
    public List<Object> extremes(String name) {
        Distribution d = distribution(name);
        return d instanceof Choice c ? c.values : List.of(d.fromUnit(0), d.fromUnit(1));
    }

    /** The values of a choice, in the file's order; empty for the other distributions. */
    public List<Object> choices(String name) {
        return distribution(name) instanceof Choice c ? c.values : List.of();
    }

    /**
     * {@code params}, read back from a log, with the values as {@link #sample} gives them ({@code Integer}
     * 3 as {@code Long} 3, say), in name order; a {@link FileFormatException} naming {@code where} unless
     * they are exactly this space's parameters with values it can give.
     */
    public Map<String, Object> check(Map<String, Object> params, String where) throws FileFormatException {
        for (String name : params.keySet()) {
            if (!parameters.containsKey(name)) throw new FileFormatException(where + ": unknown parameter " + quoted(name));
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> p : parameters.entrySet()) {
            if (!params.containsKey(p.getKey())) throw new FileFormatException(where + ": " + quoted(p.getKey()) + " is missing");
            Object value = p.getValue().normalised(params.get(p.getKey()));
            if (value == null) throw new FileFormatException(where + ": " + refusal(p.getKey(), params.get(p.getKey()), p.getValue()));
            checked.put(p.getKey(), value);
        }
        return checked;
    }

    private Distribution distribution(String name) {
        Distribution d = parameters.get(name);
        if (d == null) throw new IllegalArgumentException("no parameter " + quoted(name) + " in the search space");
        return d;
    }

    private static Distribution distribution(JsonNode node, String at) throws FileFormatException {
        if (!node.isObject() || node.size() != 1) {
            throw new FileFormatException(at + ": must be an object with one key, " + KINDS + ", not " + shown(node));
        }
        Map.Entry<String, JsonNode> only = node.properties().iterator().next();
        JsonNode args = only.getValue();
        return switch (only.getKey()) {
            case "log_uniform" -> {
                double[] b = bounds(args, at, "log_uniform needs two bounds above 0 with low < high", (low, high) -> low > 0 && low < high);
                yield new LogUniform(b[0], b[1]);
            }
            case "uniform" -> {
                double[] b = bounds(args, at, "uniform needs two bounds with low < high", (low, high) -> low < high);
                yield new Uniform(b[0], b[1]);
            }
            case "int" -> {
                double[] b = bounds(args, at, "int needs two whole-number bounds with low <= high", (low, high) -> whole(low) && whole(high) && low <= high);
                yield new Whole((long) b[0], (long) b[1]);
            }
            case "choice" -> choice(args, at);
            default -> throw new FileFormatException(at + ": unknown distribution " + quoted(only.getKey()) + " (expected " + KINDS + ")");
        };
    }

    private static double[] bounds(JsonNode args, String at, String requirement, BiPredicate<Double, Double> allowed) throws FileFormatException {
        if (args.isArray() && args.size() == 2 && args.get(0).isNumber() && args.get(1).isNumber()) {
            double low = args.get(0).doubleValue(), high = args.get(1).doubleValue();
            if (Double.isFinite(low) && Double.isFinite(high) && allowed.test(low, high)) return new double[]{low, high};
        }
        throw refused(args, at, requirement);
    }

    /** Whole and exact as a double, so that int bounds survive the unit cube's arithmetic. */
    private static boolean whole(double v) {
        return v == Math.rint(v) && Math.abs(v) <= 1L << 53;
    }

    private static Choice choice(JsonNode args, String at) throws FileFormatException {
        String requirement = "choice needs a list of one or more numbers, strings or true/false values";
        if (!args.isArray() || args.isEmpty()) throw refused(args, at, requirement);
        List<Object> values = new ArrayList<>();
        for (JsonNode v : args) {
            Object value = v.isIntegralNumber() && v.canConvertToLong() ? Long.valueOf(v.longValue())
                    : v.isNumber() && Double.isFinite(v.doubleValue()) ? Double.valueOf(v.doubleValue())
                    : v.isTextual() ? v.textValue()
                    : v.isBoolean() ? Boolean.valueOf(v.booleanValue())
                    : null;
            if (value == null) throw refused(args, at, requirement);
            values.add(value);
        }
        return new Choice(List.copyOf(values));
    }

    private static FileFormatException refused(JsonNode args, String at, String requirement) {
        return new FileFormatException(at + ": " + requirement + ", not " + shown(args));
    }

    private static String refusal(String name, Object value, Distribution d) {
        return quoted(name) + ": " + shown(value) + " is not in " + d;
    }

    private static String quoted(String text) {
        return "\"" + UserText.shown(text) + "\"";
    }

    /** A JSON value as a message quotes it: numbers as written in the space, lists with spaces. */
    private static String shown(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(shown(item)));
            return UserText.shown("[" + String.join(", ", items) + "]");
        }
        return node.isNumber() ? number(node.doubleValue()) : UserText.shown(node.toString());
    }

    private static String shown(Object value) {
        if (value instanceof String s) return quoted(s);
        if (value instanceof Double d) return number(d);
        return UserText.shown(String.valueOf(value));
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** One parameter's distribution: how its values are drawn, placed in [0, 1] and recognised. */
    private sealed interface Distribution permits LogUniform, Uniform, Whole, Choice {
        /** A draw: evenly in [0, 1], placed by {@link #fromUnit} (the whole numbers and the choices draw their own). */
        default Object sample(Random rng) {
            return fromUnit(rng.nextDouble());
        }

        /** The place in [0, 1] of a value {@link #normalised} returned. */
        double toUnit(Object value);

        /** The value at {@code u} in [0, 1]. */
        Object fromUnit(double u);

        /** {@code value} as {@link #sample} gives it, or null if this distribution never gives it. */
        Object normalised(Object value);
    }

    /** A number in [low, high] as a {@code Double}, else null. */
    private static Double between(Object value, double low, double high) {
        return value instanceof Number n && n.doubleValue() >= low && n.doubleValue() <= high ? n.doubleValue() : null;
    }

    private record LogUniform(double low, double high) implements Distribution {
        public double toUnit(Object value) {
            return Math.log((Double) value / low) / Math.log(high / low);
        }

        public Object fromUnit(double u) {
            return Math.max(low, Math.min(high, low * Math.exp(u * Math.log(high / low))));
        }

        public Object normalised(Object value) {
            return between(value, low, high);
        }

        @Override
        public String toString() {
            return "log_uniform [" + number(low) + ", " + number(high) + "]";
        }
    }

    private record Uniform(double low, double high) implements Distribution {
        public double toUnit(Object value) {
            return ((Double) value - low) / (high - low);
        }

        public Object fromUnit(double u) {
            return Math.max(low, Math.min(high, low + u * (high - low)));
        }

        public Object normalised(Object value) {
            return between(value, low, high);
        }

        @Override
        public String toString() {
            return "uniform [" + number(low) + ", " + number(high) + "]";
        }
    }

    /** The {@code int} distribution: every whole number from low to high equally likely. */
    private record Whole(long low, long high) implements Distribution {
        public Object sample(Random rng) {
            return rng.nextLong(low, high + 1);
        }

        public double toUnit(Object value) {
            return low == high ? 0.5 : ((Long) value - low) / (double) (high - low);
        }

        public Object fromUnit(double u) {
            return low + Math.round(u * (high - low));
        }

        public Object normalised(Object value) {
            if (!(value instanceof Number n)) return null;
            double v = n.doubleValue();
            return v == Math.rint(v) && v >= low && v <= high ? Long.valueOf((long) v) : null;
        }

        @Override
        public String toString() {
            return "int [" + low + ", " + high + "]";
        }
    }

    private record Choice(List<Object> values) implements Distribution {
        public Object sample(Random rng) {
            return values.get(rng.nextInt(values.size()));
        }

        public double toUnit(Object value) {
            return values.size() == 1 ? 0.5 : values.indexOf(value) / (double) (values.size() - 1);
        }

        public Object fromUnit(double u) {
            return values.get((int) Math.round(u * (values.size() - 1)));
        }

        /** The listed value equal to {@code value}; numbers compare by value, so {@code Integer} 128 is {@code Long} 128. */
        public Object normalised(Object value) {
            for (Object v : values) {
                boolean same = v instanceof Number a && value instanceof Number b ? a.doubleValue() == b.doubleValue() : v.equals(value);
                if (same) return v;
            }
            return null;
        }

        @Override
        public String toString() {
            return "choice [" + values.stream().map(Space::shown).collect(Collectors.joining(", ")) + "]";
        }
    }
}
