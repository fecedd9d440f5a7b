package dev.vitcap.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** A caption or cache file that cannot be used; the message names the file and the place, in one line, for the user. */
public final class DatasetException extends IOException {
    public DatasetException(String message) {
        super(message);
    }

    public static DatasetException at(Path file, String place, String problem) {
        return new DatasetException(file + ": " + place + ": " + problem);
    }

    /** Jackson's error as {@code FILE:LINE:COLUMN: bad KIND: reason}, without Jackson's multi-line source excerpt. */
    public static DatasetException badFormat(Path file, String kind, JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return badFormat(file, where == null ? -1 : where.getLineNr(), where == null ? -1 : where.getColumnNr(), kind, e);
    }

    /** The same, for a parser that saw one line only (JSONL) and so knows the column but not the line. */
    static DatasetException badFormat(Path file, int line, int column, String kind, JsonProcessingException e) {
        String place = line < 0 ? "" : ":" + line + (column < 0 ? "" : ":" + column);
        return new DatasetException(file + place + ": bad " + kind + ": " + firstLine(e.getOriginalMessage()));
    }

    /** Jackson's source excerpts ({@code [Source: ...; line: 2, column: 18]}) shortened to the place they name. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    /** The first line of a library's message, which is the part that says what is wrong. */
    static String firstLine(String text) {
        if (text == null) return "unknown error";
        int nl = text.indexOf('\n');
        return SOURCE.matcher(nl < 0 ? text : text.substring(0, nl)).replaceAll("line $1, column $2").strip();
    }
}
