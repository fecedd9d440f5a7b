package dev.vitcap.io;

import java.io.IOException;

/** A weights, checkpoint, vocabulary or config file that cannot be used; the message says which file and why, in one line. */
public final class FileFormatException extends IOException {
    public FileFormatException(String message) {
        super(message);
    }
}
