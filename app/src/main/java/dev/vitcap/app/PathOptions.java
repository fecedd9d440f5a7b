package dev.vitcap.app;

import dev.vitcap.io.Missing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Up-front checks of the options that name files and folders, so that a folder given for a file (or
 * the other way round) is one line naming the option before any work, not a failure at the end of it.
 * A path left out ({@code null}) passes.
 */
final class PathOptions {
    private PathOptions() {
    }

    /** A file that must exist: an annotation file, weights. */
    static void file(String option, Path path) throws IOException {
        if (path == null || Files.isRegularFile(path)) return;
        throw new IOException(path + ": " + (Files.exists(path) ? "a folder, not a file" : Missing.why(path)) + " (" + option + ")");
    }

    /** A folder that must exist: the images of a data set. */
    static void folder(String option, Path path) throws IOException {
        if (path == null || Files.isDirectory(path)) return;
        throw new IOException(path + ": " + (Files.exists(path) ? "a file, not a folder" : Missing.why(path, "folder")) + " (" + option + ")");
    }

    /** A folder to write into, made if missing: it must not be a file, nor lie under one. */
    static void folderToWrite(String option, Path path) throws IOException {
        if (path == null) return;
        if (Files.exists(path) && !Files.isDirectory(path)) throw new IOException(path + ": a file, not a folder (" + option + ")");
        underAFolder(option, path);
    }

    /** A file to write, made or replaced: it must not be a folder, nor lie under a file. */
    static void fileToWrite(String option, Path path) throws IOException {
        if (path == null) return;
        if (Files.isDirectory(path)) throw new IOException(path + ": a folder, not a file (" + option + ")");
        underAFolder(option, path);
    }

    /** The nearest existing folder above {@code path} must be a folder, or nothing can be made there. */
    private static void underAFolder(String option, Path path) throws IOException {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) return;
            if (Files.exists(p) || Files.isSymbolicLink(p)) {
                throw new IOException(path + ": cannot be made, " + p + " is " + (Files.exists(p) ? "a file, not a folder" : Missing.why(p)) + " (" + option + ")");
            }
        }
    }
}
