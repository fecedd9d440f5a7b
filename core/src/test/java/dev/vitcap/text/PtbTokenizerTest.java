package dev.vitcap.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PtbTokenizerTest {
    private final PtbTokenizer tokenizer = PtbTokenizer.instance();

    /** Compares whole texts, reporting the first line that differs. */
    private static void assertSameAsCoreNlp(String text, String what) {
        String expected = CoreNlpReference.ptbText(text);
        String actual = PtbTokenizer.instance().ptbText(text);
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        String[] in = text.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<none>";
            String al = i < a.length ? a[i] : "<none>";
            if (!el.equals(al)) {
                fail(what + ": line " + i + " differs\n input:    " + escaped(i < in.length ? in[i] : "?")
                        + "\n corenlp:  " + escaped(el) + "\n vitcap:   " + escaped(al));
            }
        }
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        return b.toString();
    }

    @Test
    void generatedCaptionsTokenizeLikeCoreNlpAloneAndAsOneDocument() {
        List<String> captions = TrickyCaptions.generate(3000, 20240611L);
        for (String caption : captions) {
            assertSameAsCoreNlp(caption, "caption alone");
        }
        assertSameAsCoreNlp(String.join("\n", captions), "captions as one document");
    }

    @Test
    void longTextsLexedInPartsEvenWhenATokenSpansTheSplit() {
        StringBuilder text = new StringBuilder();
        while (text.length() < 38_000) {
            text.append("A dog's toy (red).\n");
        }
        // A markup token whose quoted value holds the line feed the text is split after.
        text.append("<a b='").append("x".repeat(4000)).append("\n").append("y".repeat(100)).append("'> tail\n");
        while (text.length() < 80_000) {
            text.append("Mr. Smith, 3 1/2 cats.\n");
        }
        assertSameAsCoreNlp(text.toString(), "long text");
    }

    @Test
    void everyBmpCharacterInContextTokenizesLikeCoreNlp() {
        String[][] contexts = {{"", ""}, {"a", "b"}, {"A", ". The x"}, {"1", "2"}, {"'", "90s"}};
        for (int block = 0; block < 0x10000; block += 0x1000) {
            StringBuilder text = new StringBuilder();
            for (int c = block; c < block + 0x1000; c++) {
                for (String[] context : contexts) {
                    text.append(context[0]).append((char) c).append(context[1]).append('\n');
                }
            }
            assertSameAsCoreNlp(text.toString(), String.format("block U+%04X", block));
        }
    }

    @Test
    void removesPunctuationAfterLowerCasingSoBracketTokensStay() {
        PtbTokenizer.Captions out = tokenizer.tokenizeCaptions(
                List.of("A sandwich (cut in half), \"tasty\" -- isn't it?", "Rock 'n' roll {live}!"));
        assertEquals(List.of("a sandwich -lrb- cut in half -rrb- tasty is n't it", "rock 'n' roll -lcb- live -rcb-"),
                out.captions());
        assertTrue(out.aligned());
    }

    @Test
    void lineFeedsInsideCaptionsAreSpacesButOtherLineBreaksShiftLines() {
        assertEquals(List.of("two lines"), tokenizer.tokenizeCaptions(List.of("two\nlines")).captions());
        PtbTokenizer.Captions shifted = tokenizer.tokenizeCaptions(List.of("a\rb", "c"));
        assertFalse(shifted.aligned());
        assertEquals(3, shifted.lineCount());
        assertEquals(List.of("a", "b"), shifted.captions());
        // A carriage return ending a caption pairs with the joining line feed: one line break.
        assertTrue(tokenizer.tokenizeCaptions(List.of("a\r", "b")).aligned());
    }

    @Test
    void wordsSplitOnPythonWhiteSpace() {
        assertEquals(List.of("he", "ate", "3", "1/2", "pies"), tokenizer.tokenize("He ate 3 1/2 pies."));
        assertEquals(List.of(), tokenizer.tokenize("..."));
        List<String> none = new ArrayList<>(tokenizer.tokenize(""));
        assertTrue(none.isEmpty());
    }
}
