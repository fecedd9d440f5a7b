package dev.vitcap.kernel;

/**
 * What a backend found when asked whether it can run here: usable with a detail line (versions,
 * device), or unusable with the reason, in words a user can act on.
 */
public record Probe(boolean usable, String detail) {
    public static Probe usable(String detail) {
        return new Probe(true, detail);
    }

    public static Probe unusable(String reason) {
        return new Probe(false, reason);
    }
}
