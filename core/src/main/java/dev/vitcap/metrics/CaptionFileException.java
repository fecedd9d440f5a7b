package dev.vitcap.metrics;

import dev.vitcap.io.UserText;

/** A caption file that cannot be used; the message is one line naming the file and what is wrong. */
public final class CaptionFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Line breaks quoted from the file are escaped: the message stays one line. */
    public CaptionFileException(String message) {
        super(UserText.escaped(message));
    }
}
