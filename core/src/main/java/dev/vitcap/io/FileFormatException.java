package dev.vitcap.io;

import java.io.IOException;

/** A weights, checkpoint, vocabulary or config file that cannot be used; the message says which file and why, in one line. */
public final class FileFormatException extends IOException {
    /** Line breaks quoted from the file are escaped: the message stays one line. */
    public FileFormatException(String message) {
        super(UserText.escaped(message));
    }
}
