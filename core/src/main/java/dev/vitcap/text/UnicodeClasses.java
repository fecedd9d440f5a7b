package dev.vitcap.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character classes of the lexer specification: {@code [:letter:]}, {@code [:digit:]} and
 * {@code [:uppercase:]} as Unicode 6.3 defines them (the version the reference lexer was generated
 * with; the JDK's tables are newer and would call a few hundred later-assigned characters letters),
 * and caseless matching of literal characters.
 */
final class UnicodeClasses {
    private static final String RESOURCE = "unicode-6.3-classes.txt";

    final CharRanges letter;
    final CharRanges digit;
    final CharRanges uppercase;
    /** Union-find parents over the BMP joining characters related by simple case mappings. */
    private final int[] caseParent;
    private final Map<Character, CharRanges> caselessCache = new HashMap<>();
    /** The members of each case class of more than one character, by union-find root; built on first use. */
    private Map<Integer, List<Character>> caseMembers;

    private UnicodeClasses(Map<String, CharRanges> classes) {
        letter = require(classes, "letter");
        digit = require(classes, "digit");
        uppercase = require(classes, "uppercase");
        caseParent = new int[CharRanges.MAX_CHAR + 1];
        for (int c = 0; c <= CharRanges.MAX_CHAR; c++) {
            caseParent[c] = c;
        }
        for (int c = 0; c <= CharRanges.MAX_CHAR; c++) {
            join(c, Character.toLowerCase(c));
            join(c, Character.toUpperCase(c));
            join(c, Character.toTitleCase(c));
        }
    }

    static UnicodeClasses load() {
        Map<String, CharRanges> classes = new HashMap<>();
        try (InputStream in = UnicodeClasses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] items = line.trim().split(" ");
                classes.put(items[0], CharRanges.parseHex(Arrays.copyOfRange(items, 1, items.length)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + RESOURCE, e);
        }
        return new UnicodeClasses(classes);
    }

    private static CharRanges require(Map<String, CharRanges> classes, String name) {
        CharRanges set = classes.get(name);
        if (set == null) {
            throw new IllegalStateException("resource " + RESOURCE + " lacks the class " + name);
        }
        return set;
    }

    /** Every character that a literal {@code c} of a caseless lexer matches. */
    CharRanges caseless(char c) {
        return caselessCache.computeIfAbsent(c, this::caseClass);
    }

    private CharRanges caseClass(char c) {
        if (caseMembers == null) {
            caseMembers = new HashMap<>();
            for (int x = 0; x <= CharRanges.MAX_CHAR; x++) {
                int root = find(x);
                if (root != x) {
                    caseMembers.computeIfAbsent(root, r -> new ArrayList<>(List.of((char) (int) r))).add((char) x);
                }
            }
        }
        CharRanges set = CharRanges.of(c);
        for (char member : caseMembers.getOrDefault(find(c), List.of())) {
            set = set.union(CharRanges.of(member));
        }
        return set;
    }

    private void join(int a, int b) {
        if (b > CharRanges.MAX_CHAR) {
            return;
        }
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            caseParent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private int find(int c) {
        while (caseParent[c] != c) {
            caseParent[c] = caseParent[caseParent[c]];
            c = caseParent[c];
        }
        return c;
    }
}
