package dev.vitcap.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates caption-like strings dense in what a tokenizer can get wrong: punctuation, quotes,
 * brackets, hyphens, contractions, abbreviations, numbers, URLs, markup, odd spaces and Unicode.
 */
final class TrickyCaptions {
    private static final String[] WORDS = {
        "a", "man", "woman", "dog", "riding", "wave", "on", "top", "of", "the", "surfboard", "two", "cats",
        "sitting", "bench", "A", "The", "Two", "Dog", "NEW", "YORK", "U", "I", "street", "sign", "is", "in",
        "photo", "at", "Inc", "Co", "St", "Mr", "Dr", "vs", "etc", "Jan", "Pty", "Ltd", "cannot", "gonna",
        "wanna", "c", "f", "x", "e", "s", "n", "t", "o", "d", "l", "ll", "re", "ve", "m", "y", "www", "com",
        "http", "https", "jpg", "png", "txt", "About", "He", "It", "This", "They", "Earlier", "anti", "pro",
        "café", "naïve", "Zürich", "Straße", "İstanbul", "日本", "Ελλάδα", "Москва", "שלום", "مرحبا", "हिन्दी",
        "ﬁsh", "Ǆemal", "ǅ", "K", "ſ", "ı", "co", "ca", "fig", "no", "prop", "al", "Calif", "Mass", "Ph",
    };
    private static final String[] PIECES = {
        ".", ",", ";", ":", "!", "?", "...", "..", ". . .", "--", "-", "---", "----", "-----", "(", ")", "[",
        "]", "{", "}", "\"", "'", "`", "``", "''", "«", "»", "“", "”", "‘", "’", "‚", "„", "‹", "›", "…",
        "—", "–", "‐", "‑", "/", "\\", "*", "**", "\\*", "&", "&amp;", "&AMP;", "&quot;", "&apos;", "&lt;",
        "&gt;", "&nbsp;", "&mdash;", "&eacute;", "&#39;", "<", ">", "<<", ">>", "<b>", "</b>", "<br/>",
        "<a href=\"x y\">", "<!DOCTYPE html>", "@", "@john_doe", "#", "#tag", "##", "_", "__", "$", "US$",
        "€", "£", "¢", "¥", "%", "+", "=", "~", "^", "|", "¦", "©", "°", "²", "³", "½", "¼", "⅔", "⅛", "×",
        "÷", "→", "∀", "☺", ":)", ":-(", ";P", "=D", ":-", "^_^", "(-_-)", "o_O", "<3", "'s", "'S", "n't",
        "N'T", "'re", "'ll", "'d", "'m", "'ve", "’s", "n’t", "'90s", "'til", "'till", "'em", "'cause", "'tis",
        "'twas", "'n'", "y'all", "o'clock", "O'Neil", "d'Artagnan", "l'eau", "rock'n'roll", "c'mon",
        "cont'd", "don't", "can't", "won't", "isn't", "woman's", "James'", "it's", "I'm", "they're", "we'll",
        "3", "42", "3.14", "1,000", "1,000,000", "-2", "+7", "10:30", "1/2", "3 1/2", "3-1/2", "22/7",
        "2\\/3", "12-25-2014", "1/1/99", "(555) 123-4567", "555-123-4567", "+1 555 123 4567",
        "555.123.4567", "$5", "$5.99", "5%", "4x4", "1st", "2nd", "3D", "mp3", "x86_64", "٣", "۴", "०",
        "߂", "²³", "₂", "⁺", "U.S.", "U.S.A.", "e.g.", "i.e.", "a.m.", "p.m.", "Ph.D.", "Jan.", "Inc.",
        "Co.", "Corp.", "Mr.", "Mrs.", "Dr.", "St.", "Ave.", "No.", "no.", "fig.", "ca.", "etc.", "vs.",
        "Calif.", "Mass.", "Pty.", "A.", "I.", "C.", "x.", "non-U.S.", "U.S.-U.K.", "C.D.s", "S&P-500",
        "AT&T", "AT&amp;T", "R&D", "c++", "C++", "c#", "F#", "-LRB-", "-lrb-", "-RRB-", "http://x.com/a_b?q=1",
        "https://example.org/path/", "www.example.com", "example.com", "foo.bar.edu/x", "Google.com",
        "john@example.com", "<john@example.com>", "photo.jpg", "my.file.txt", "readme.TXT", "well-known",
        "state-of-the-art", "co-ed", "e-mail", "x-ray", "T-shirt", "half-eaten", "d'Artagnan-like", "and/or",
        "black/white", "AB/CD-ef", "\u00AD", "co\u00ADop", "\u00A0", "\u2009", "\u3000", "\u200B", "\uFEFF",
        "\t", "  ", "\u0085", "\u2028", "\u000B", "\r", "\r\n", "\u007F", "\u0000", "\u0091", "\u0092",
        "\u0093", "\u0094", "\u0096", "\u0097", "\u0080", "😀", "🐶", "𝐀", "\uD800", "é", "ﬂ", "Å",
    };

    private TrickyCaptions() {}

    static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        List<String> captions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder caption = new StringBuilder();
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                caption.append(part(random));
                int glue = random.nextInt(10);
                if (glue < 6) {
                    caption.append(' ');
                } else if (glue == 6) {
                    caption.append("  ");
                }
            }
            captions.add(caption.toString());
        }
        return captions;
    }

    private static String part(Random random) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return WORDS[random.nextInt(WORDS.length)];
        }
        if (kind < 9) {
            return PIECES[random.nextInt(PIECES.length)];
        }
        // Any BMP character, surrogates and unassigned ones included.
        return String.valueOf((char) random.nextInt(0x10000));
    }
}
