package dev.vitcap.kernel;

/** A backend cannot be found, chosen or used; the message is one line for the user. */
public final class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
