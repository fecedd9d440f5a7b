package dev.vitcap.io;

import dev.vitcap.data.DatasetException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UserTextTest {
    @Test
    void quotedTextStaysOnOneLineAndShort() {
        assertEquals("a\\nb\\u0000\\u2028", UserText.shown("a\nb\u0000\u2028"));
        assertEquals("x".repeat(77) + "...", UserText.shown("x".repeat(500)));
        assertEquals("caf\u00e9 \ud83d\ude00", UserText.shown("caf\u00e9 \ud83d\ude00"));
    }

    @Test
    void theProjectsRefusalsAreOneLineWhateverTheyQuote() {
        assertEquals("f.json: unknown split 'a\\nb'", new DatasetException("f.json: unknown split 'a\nb'").getMessage());
        assertEquals("w: tensor 'x\\ry'", new FileFormatException("w: tensor 'x\ry'").getMessage());
    }
}
