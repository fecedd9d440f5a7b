package dev.vitcap.io;

/** Text from a file as a one-line message quotes it. */
public final class UserText {
    private UserText() {
    }

    /** A piece of the file as a message quotes it: on one line, and not endless. */
    public static String shown(String text) {
        return escaped(text.length() > 80 ? text.substring(0, 77) + "..." : text);
    }

    /** Line breaks and other control characters written as escapes, so that a message stays one line. */
    public static String escaped(String text) {
        if (text == null || text.codePoints().noneMatch(UserText::control)) return text;
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (control(c)) out.append(String.format("\\u%04x", c));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }

    private static boolean control(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
    }
}
