package dev.vitcap.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Why a path that cannot be opened is not there, in words: the system says "no such file" (or names no
 * file at all) for a symbolic link that points at itself, round a loop, or at nothing, which sends a
 * user looking for a file that is in plain sight.
 */
public final class Missing {
    /** Links followed before a chain counts as a loop: Linux's own limit. */
    private static final int MAX_LINKS = 40;

    private Missing() {
    }

    /** "a symbolic link loop" (naming the link, if it is a folder above), "a symbolic link to a missing file", or "no such file". */
    public static String why(Path path) {
        return why(path, "file");
    }

    /** As {@link #why(Path)}, for a {@code kind} of path other than a file ("folder"). */
    public static String why(Path path, String kind) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path p = absolute; p != null; p = p.getParent()) {
            if (loops(p)) return p.equals(absolute) ? "a symbolic link loop" : "a symbolic link loop (" + p + ")";
        }
        return Files.isSymbolicLink(path) ? "a symbolic link to a missing " + kind : "no such " + kind;
    }

    private static boolean loops(Path link) {
        Set<Path> seen = new HashSet<>();
        Path p = link;
        for (int hops = 0; hops < MAX_LINKS; hops++) {
            if (!Files.isSymbolicLink(p)) return false;
            if (!seen.add(p)) return true;
            try {
                p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
