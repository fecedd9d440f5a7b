package dev.vitcap.weights;

import java.io.IOException;

/** A weights, checkpoint or config file that cannot be used; the message says which file and why, in one line. */
public final class WeightsException extends IOException {
    public WeightsException(String message) {
        super(message);
    }
}
