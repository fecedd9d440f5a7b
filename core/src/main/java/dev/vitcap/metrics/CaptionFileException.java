package dev.vitcap.metrics;

/** A caption file that cannot be used; the message is one line naming the file and what is wrong. */
public final class CaptionFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaptionFileException(String message) {
        super(message);
    }
}
