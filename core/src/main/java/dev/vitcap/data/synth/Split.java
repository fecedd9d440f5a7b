package dev.vitcap.data.synth;

import java.util.Locale;

/** The three parts of a generated world; each draws its own images, so they never share one. */
public enum Split {
    TRAIN, VAL, TEST;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
