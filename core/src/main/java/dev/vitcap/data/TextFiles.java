package dev.vitcap.data;

import dev.vitcap.io.Missing;

import java.io.BufferedReader;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** UTF-8 text files as the readers need them: a leading byte-order mark (as Excel writes) skipped, errors as one line. */
final class TextFiles {
    private TextFiles() {
    }

    interface LineHandler {
        void line(int number, String text) throws DatasetException;
    }

    static BufferedReader open(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        in.mark(1);
        if (in.read() != '\uFEFF') in.reset();
        return in;
    }

    /** Calls the handler for every line that is not blank, numbered from 1 as an editor shows them. */
    static void forEachLine(Path file, LineHandler handler) throws DatasetException {
        int number = 0;
        try (BufferedReader in = open(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (!line.isBlank()) handler.line(number, line);
            }
        } catch (CharacterCodingException e) {
            throw DatasetException.at(file, "line " + (number + 1), "not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The first line that is not blank, cut at {@code limit} characters so a one-line JSON file of 100 MB is not read whole. */
    static String firstLine(Path file, int limit) throws DatasetException {
        try (Reader in = open(file)) {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && line.length() < limit; c = in.read()) {
                if (c == '\n' || c == '\r') {
                    if (!line.toString().isBlank()) break;
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            return line.toString().strip();
        } catch (CharacterCodingException e) {
            throw new DatasetException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Checks the file exists, is a file and is not empty, so each of those gets its own message. */
    static void requireNonEmptyFile(Path file) throws DatasetException {
        if (!Files.exists(file)) throw new DatasetException(file + ": " + Missing.why(file));
        if (Files.isDirectory(file)) throw new DatasetException(file + ": is a directory, expected a file");
        try {
            if (Files.size(file) == 0) throw new DatasetException(file + ": empty file");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static DatasetException unreadable(Path file, IOException e) {
        if (e instanceof DatasetException d) return d;
        if (e instanceof NoSuchFileException) return new DatasetException(file + ": " + Missing.why(file));
        if (e instanceof AccessDeniedException) return new DatasetException(file + ": permission denied");
        // The JSON parser's complaint about bytes it took for UTF-16 or UTF-32.
        if (e instanceof CharConversionException || e instanceof CharacterCodingException) return new DatasetException(file + ": not UTF-8 text");
        return new DatasetException(file + ": cannot read: " + DatasetException.firstLine(String.valueOf(e.getMessage())));
    }
}
