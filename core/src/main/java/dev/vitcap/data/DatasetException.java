package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.io.UserText;

import java.io.IOException;
import java.nio.file.Path;

/** A caption or cache file that cannot be used; the message names the file and the place, in one line, for the user. */
public final class DatasetException extends IOException {
    /** Line breaks quoted from the file are escaped: the message stays one line. */
    public DatasetException(String message) {
        super(UserText.escaped(message));
    }

    public static DatasetException at(Path file, String place, String problem) {
        return new DatasetException(file + ": " + place + ": " + problem);
    }

    /** A syntax error as {@code FILE:LINE:COLUMN: bad KIND: what}, in the user's words ({@link JsonErrors}). */
    public static DatasetException badFormat(Path file, String kind, JsonProcessingException e) {
        return new DatasetException(file + JsonErrors.at(e) + ": bad " + kind + ": " + JsonErrors.problem(e));
    }

    /** The same, for a parser that saw one line only (JSONL) and so knows the column but not the line. */
    static DatasetException badFormat(Path file, int line, JsonProcessingException e) {
        int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        return new DatasetException(file + ":" + line + (column < 1 ? "" : ":" + column) + ": bad JSON: " + JsonErrors.problem(e));
    }

    /** The first line of a library's message, which is the part that says what is wrong. */
    static String firstLine(String text) {
        if (text == null) return "unknown error";
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
