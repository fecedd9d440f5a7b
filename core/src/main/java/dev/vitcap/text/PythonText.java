package dev.vitcap.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str.split()}, {@code str.split(' ')} and {@code str.rstrip()}, whose notion of
 * white space ({@code str.isspace}) the COCO evaluation code relies on and Java's differs from.
 */
public final class PythonText {
    private PythonText() {}

    /** Python's {@code str.isspace} for one UTF-16 code unit. */
    public static boolean isSpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= ' ') || c == '\u0085' || c == '\u00A0'
                || c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029'
                || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }

    /** {@code s.split()}: the runs of non-white-space characters. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isSpace(s.charAt(i))) {
                if (start >= 0) {
                    words.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(s.substring(start));
        }
        return words;
    }

    /** {@code s.split(' ')}: pieces between single spaces, empty ones included. */
    public static List<String> splitOnSpace(String s) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', start)) {
            pieces.add(s.substring(start, i));
            start = i + 1;
        }
        pieces.add(s.substring(start));
        return pieces;
    }

    /** {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Whether {@code s.split()} and {@code s.split(' ')} give the same pieces. */
    public static boolean splitsAlikeOnSpace(String s) {
        if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' ? s.charAt(i + 1) == ' ' : isSpace(c)) {
                return false;
            }
        }
        return true;
    }
}
