package dev.vitcap.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Jackson's errors (JSON and CSV) in the user's words, one line: where in the file, and what was wrong
 * or expected, without the parser's vocabulary (its Java types, token names, feature switches and
 * source excerpts). Each reader puts the file's name in front.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** {@code :LINE:COLUMN} for a message of the form {@code FILE:LINE:COLUMN: ...}, or nothing when the place is unknown. */
    public static String at(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        if (where == null || where.getLineNr() < 1) return "";
        return ":" + where.getLineNr() + (where.getColumnNr() < 1 ? "" : ":" + where.getColumnNr());
    }

    /** The place and the problem, {@code line 3, column 7: ...}, for messages that name the file otherwise. */
    public static String describe(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String place = where == null || where.getLineNr() < 1 ? "" : "line " + where.getLineNr()
                + (where.getColumnNr() < 1 ? "" : ", column " + where.getColumnNr()) + ": ";
        return place + problem(e);
    }

    /** What is wrong: a value of the wrong kind at its JSON path ({@code images[3].file_name: expected a string, found a list}), or the syntax error. */
    public static String problem(JsonProcessingException e) {
        if (e instanceof JsonMappingException m) {
            Throwable cause = m.getCause();
            String path = path(m.getPath());
            String prefix = path.isEmpty() ? "" : path + ": ";
            // A value the project's own types refused says why in their words, a number too large for its field is a
            // problem of that field, and a syntax error met while binding is a syntax error.
            if (cause instanceof IllegalArgumentException refused && refused.getMessage() != null) return prefix + firstLine(refused.getMessage());
            if (cause instanceof InputCoercionException range) return prefix + problem(range);
            if (cause instanceof JsonProcessingException syntax && !(cause instanceof JsonMappingException)) return problem(syntax);
            String message = String.valueOf(m.getOriginalMessage());
            if (message.startsWith("Trailing token")) return "more text after the end of the JSON value";
            if (message.startsWith("No content to map")) return "no JSON value (only white space)";
            if (m instanceof UnrecognizedPropertyException u) {
                // The path ends with the unknown key itself: the place is the object that holds it.
                String holder = path(m.getPath().subList(0, Math.max(0, m.getPath().size() - 1)));
                return (holder.isEmpty() ? "" : holder + ": ") + "unknown key '" + UserText.shown(String.valueOf(u.getPropertyName())) + "'";
            }
            Matcher choices = ENUM_VALUES.matcher(message);
            if (choices.find()) return prefix + "expected one of " + Arrays.stream(choices.group(1).split(", ")).sorted().collect(Collectors.joining(", ")) + found(m, message);
            if (m instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return prefix + "expected " + kind(mismatch.getTargetType()) + found(m, message);
            }
            if (m instanceof ValueInstantiationException) return prefix + "missing or invalid values";
            String said = syntax(message);
            return prefix + (said.equals(NOT_JSON) ? "unexpected value" : said);
        }
        if (e instanceof JsonEOFException) return "the text ends before the JSON does (truncated?)";
        return syntax(String.valueOf(e.getOriginalMessage()));
    }

    private static final Pattern ENUM_VALUES = Pattern.compile("not one of the values accepted for Enum class: \\[([^]]*)]");
    private static final Pattern FOUND = Pattern.compile("from (\\w[\\w-]*) value");

    /** What stood where the value of the wrong kind was expected. */
    private static String found(JsonMappingException m, String message) {
        if (m instanceof InvalidFormatException f && f.getValue() != null) {
            return f.getValue() instanceof String s ? ", found \"" + UserText.shown(s) + "\"" : ", found " + UserText.shown(String.valueOf(f.getValue()));
        }
        if (message.contains("`null`")) return ", found null";
        Matcher from = FOUND.matcher(message);
        if (!from.find()) return "";
        return switch (from.group(1)) {
            case "Array" -> ", found a list";
            case "Object" -> ", found an object";
            case "String" -> ", found a string";
            case "Boolean" -> ", found true or false";
            case "Integer", "Floating-point", "Number" -> ", found a number";
            default -> "";
        };
    }

    /** A Java type as the JSON value it is read from. */
    private static String kind(Class<?> type) {
        if (type == String.class || type == char.class || type == Character.class) return "a string";
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == java.math.BigInteger.class) return "a whole number";
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a list";
        return "an object";
    }

    /** A JSON path as the user would point at it: {@code images[3].file_name}. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(UserText.shown(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** Jackson's syntax messages rewritten, most specific first ({@code $1} in a rule's words is its first group). */
    private static final List<Map.Entry<Pattern, String>> SYNTAX = List.of(
            rule("Unexpected character (.+?): was expecting double-quote to start field name", "unexpected $1 where a quoted key belongs"),
            rule("Unexpected character (.+?): was expecting a colon to separate field name and value", "unexpected $1 where ':' belongs"),
            rule("Unexpected character (.+?): was expecting comma to separate Object entries", "unexpected $1 where ',' or '}' belongs"),
            rule("Unexpected character (.+?): was expecting comma to separate Array entries", "unexpected $1 where ',' or ']' belongs"),
            rule("Unexpected character (.+?): maybe a \\(non-standard\\) comment.*", "unexpected $1 (JSON has no comments)"),
            rule("Unexpected character (.+?): expected a (valid )?value.*", "unexpected $1 where a value belongs"),
            rule("Unexpected character (.+?): Expected column separator character (.+?) or end-of-line", "unexpected $1 where $2 or the end of the line belongs"),
            rule("Unexpected character (.+?)(:.*)?", "unexpected $1"),
            rule("Unrecognized token '(.*)': was expecting.*", "unknown word '$1' where a value belongs"),
            rule("Non-standard token '(.*)'.*", "'$1' is not a JSON number"),
            rule("Illegal unquoted character (.+?): has to be escaped.*", "$1 inside a string (write it escaped)"),
            rule("Illegal character (.+?): .*", "unexpected $1"),
            rule("Unrecognized character escape '(.)'.*", "unknown escape '\\\\$1' in a string"),
            rule("Invalid numeric value: Leading zeroes not allowed", "invalid number (leading zeroes are not allowed)"),
            rule("Invalid numeric value: (.*)", "invalid number: $1"),
            rule("Unexpected close marker (.+?): expected (.+?) \\(for Array starting at .*?line (\\d+), column (\\d+)\\)",
                    "$1 where $2 should close the list begun at line $3, column $4"),
            rule("Unexpected close marker (.+?): expected (.+?) \\(for Object starting at .*?line (\\d+), column (\\d+)\\)",
                    "$1 where $2 should close the object begun at line $3, column $4"),
            rule("Unexpected end-of-input.*", "the text ends before the JSON does (truncated?)"),
            rule("Invalid UTF-8.*", "not UTF-8 text"),
            rule("Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+).*", "nested more than $1 levels deep"),
            rule("String value length \\(\\d+\\) exceeds the maximum allowed \\((\\d+).*", "a string longer than $1 characters"),
            rule("Number value length \\(\\d+\\) exceeds the maximum allowed \\((\\d+).*", "a number longer than $1 digits"),
            rule("Name length \\(\\d+\\) exceeds the maximum allowed \\((\\d+).*", "a key longer than $1 characters"),
            rule("Numeric value \\((.*)\\) out of range.*", "number $1 is out of range"),
            rule("Missing closing quote for value", "a quoted value is never closed"));

    private static Map.Entry<Pattern, String> rule(String jackson, String user) {
        return Map.entry(Pattern.compile(jackson, Pattern.DOTALL), user);
    }

    /** Characters as Jackson shows them, {@code ('x' (code 120))} or {@code ((CTRL-CHAR, code 10))}, as a user would. */
    private static final Pattern CHAR = Pattern.compile("\\('(.)' \\(code \\d+[^)]*\\)\\)|'(.)' \\(code \\d+[^)]*\\)", Pattern.DOTALL);
    private static final Pattern CONTROL = Pattern.compile("\\(?\\(CTRL-CHAR, code (\\d+)\\)\\)?");
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    /** What a user must never see: Java type names, token and feature names, source excerpts. */
    private static final Pattern INTERNALS = Pattern.compile("`|JsonToken|Feature|\\[Source|java\\.|com\\.fasterxml");

    private static final String NOT_JSON = "not valid JSON";

    private static String syntax(String message) {
        String line = firstLine(message);
        line = CHAR.matcher(line).replaceAll(c -> Matcher.quoteReplacement("'" + (c.group(1) != null ? c.group(1) : c.group(2)) + "'"));
        line = CONTROL.matcher(line).replaceAll("control character $1");
        line = SOURCE.matcher(line).replaceAll("line $1, column $2");
        for (Map.Entry<Pattern, String> rule : SYNTAX) {
            Matcher m = rule.getKey().matcher(line);
            if (m.matches()) {
                line = m.replaceFirst(rule.getValue());
                break;
            }
        }
        if (line.isBlank() || INTERNALS.matcher(line).find()) return NOT_JSON;
        return UserText.escaped(Character.toLowerCase(line.charAt(0)) + line.substring(1));
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
