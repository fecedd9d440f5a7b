package dev.vitcap.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A regular expression over UTF-16 code units, as the lexer specification writes them.
 *
 * <p>The syntax is that of JFlex, the generator of the reference lexer, in the subset the
 * specification uses: literal characters (caseless: they match every case variant), {@code \}
 * escapes ({@code \}{@code uXXXX}, {@code \xXX}, {@code \t \n \r \f \0}, else the character itself),
 * classes {@code [...]} and {@code [^...]} (case-sensitive; a {@code -} first or last is literal;
 * {@code [^]} is any character), {@code [:letter:] [:digit:] [:uppercase:]}, {@code .} (anything but
 * a line break), groups, {@code | * + ?}, {@code {n}}, {@code {n,m}} and macro references
 * {@code {NAME}}.
 */
sealed interface Regex {
    record Chars(CharRanges set) implements Regex {}

    record Concat(List<Regex> parts) implements Regex {}

    record Alt(List<Regex> options) implements Regex {}

    /** {@code max} is -1 for no bound. */
    record Repeat(Regex body, int min, int max) implements Regex {}

    /** The same language read backwards, for matching trailing context from its end. */
    static Regex reversed(Regex regex) {
        if (regex instanceof Concat c) {
            List<Regex> parts = new ArrayList<>();
            for (Regex part : c.parts()) {
                parts.add(reversed(part));
            }
            Collections.reverse(parts);
            return new Concat(parts);
        }
        if (regex instanceof Alt a) {
            return new Alt(a.options().stream().map(Regex::reversed).toList());
        }
        if (regex instanceof Repeat r) {
            return new Repeat(reversed(r.body()), r.min(), r.max());
        }
        return regex;
    }

    static Regex parse(String pattern, Map<String, Regex> macros, UnicodeClasses unicode) {
        Parser parser = new Parser(pattern, macros, unicode);
        Regex regex = parser.alternation();
        if (parser.pos != pattern.length()) {
            throw parser.error("unexpected '" + pattern.charAt(parser.pos) + "'");
        }
        return regex;
    }

    /** Recursive descent over the pattern text. */
    final class Parser {
        private static final CharRanges LINE_BREAKS = CharRanges.chars("\n\r\u000B\u000C\u0085\u2028\u2029");

        private final String text;
        private final Map<String, Regex> macros;
        private final UnicodeClasses unicode;
        private int pos;

        private Parser(String text, Map<String, Regex> macros, UnicodeClasses unicode) {
            this.text = text;
            this.macros = macros;
            this.unicode = unicode;
        }

        private Regex alternation() {
            List<Regex> options = new ArrayList<>();
            options.add(concatenation());
            while (peek('|')) {
                pos++;
                options.add(concatenation());
            }
            return options.size() == 1 ? options.get(0) : new Alt(options);
        }

        private Regex concatenation() {
            List<Regex> parts = new ArrayList<>();
            while (pos < text.length() && !peek('|') && !peek(')')) {
                parts.add(postfix(atom()));
            }
            return parts.size() == 1 ? parts.get(0) : new Concat(parts);
        }

        private Regex postfix(Regex atom) {
            Regex result = atom;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '*' || c == '+' || c == '?') {
                    pos++;
                    result = new Repeat(result, c == '+' ? 1 : 0, c == '?' ? 1 : -1);
                } else if (c == '{' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
                    int close = closing('}');
                    String[] bounds = text.substring(pos + 1, close).split(",", -1);
                    int min = Integer.parseInt(bounds[0]);
                    int max = bounds.length == 1 ? min : Integer.parseInt(bounds[1]);
                    pos = close + 1;
                    result = new Repeat(result, min, max);
                } else {
                    break;
                }
            }
            return result;
        }

        private Regex atom() {
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Regex inner = alternation();
                expect(')');
                return inner;
            }
            if (atPredefined()) {
                return new Chars(predefined());
            }
            if (c == '[') {
                return new Chars(charClass());
            }
            if (c == '{') {
                int close = closing('}');
                String name = text.substring(pos + 1, close);
                Regex macro = macros.get(name);
                if (macro == null) {
                    throw error("undefined macro {" + name + "}");
                }
                pos = close + 1;
                return macro;
            }
            if (c == '.') {
                pos++;
                return new Chars(LINE_BREAKS.complement());
            }
            return new Chars(unicode.caseless(literal()));
        }

        private boolean atPredefined() {
            return text.startsWith("[:letter:]", pos) || text.startsWith("[:digit:]", pos)
                    || text.startsWith("[:uppercase:]", pos);
        }

        private CharRanges predefined() {
            int close = text.indexOf(":]", pos + 2);
            if (close < 0) {
                throw error("unterminated [:class:]");
            }
            String name = text.substring(pos + 2, close);
            pos = close + 2;
            return switch (name) {
                case "letter" -> unicode.letter;
                case "digit" -> unicode.digit;
                case "uppercase" -> unicode.uppercase;
                default -> throw error("unknown class [:" + name + ":]");
            };
        }

        private CharRanges charClass() {
            expect('[');
            boolean negated = peek('^');
            if (negated) {
                pos++;
            }
            CharRanges set = CharRanges.chars("");
            boolean first = true;
            while (!peek(']')) {
                if (pos >= text.length()) {
                    throw error("unterminated class");
                }
                if (atPredefined()) {
                    set = set.union(predefined());
                } else if (first && peek('-')) {
                    pos++;
                    set = set.union(CharRanges.of('-'));
                } else {
                    char low = literal();
                    if (peek('-') && pos + 1 < text.length() && text.charAt(pos + 1) != ']') {
                        pos++;
                        set = set.union(CharRanges.range(low, literal()));
                    } else {
                        set = set.union(CharRanges.of(low));
                    }
                }
                first = false;
            }
            pos++;
            if (negated) {
                return set.complement();
            }
            return set;
        }

        /** One possibly escaped character. */
        private char literal() {
            char c = text.charAt(pos++);
            if (c != '\\') {
                return c;
            }
            char e = text.charAt(pos++);
            return switch (e) {
                case 'u' -> hex(4);
                case 'x' -> hex(2);
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 'f' -> '\f';
                case '0' -> '\0';
                default -> e;
            };
        }

        private char hex(int digits) {
            char value = (char) Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return value;
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private int closing(char c) {
            int close = text.indexOf(c, pos);
            if (close < 0) {
                throw error("unterminated '" + text.charAt(pos) + "'");
            }
            return close;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + pos + " in pattern " + text);
        }
    }
}
