package dev.vitcap.app;

import dev.vitcap.io.Missing;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception into the one line a user reads: what went wrong and where, in the user's terms. */
final class Errors {
    private Errors() {
    }

    /**
     * A usage error (picocli's, or an option refused by its {@link Ranges range}): the message, with the
     * nearest option for a misspelt one and a pointer to the help for a missing or unknown one, as the
     * full usage picocli prints after it would bury the line that matters.
     */
    static String usage(ParameterException e) {
        if (e.getCause() instanceof Ranges.Refused r && e.getArgSpec() instanceof OptionSpec o) return o.longestName() + " " + r.getMessage();
        String line = firstLine(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            line = word.startsWith("-") ? "unknown option '" + word + "'"
                    : u.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + word + "'" : "'" + word + "' is not a command";
            if (!u.getSuggestions().isEmpty()) line += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        if (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException) {
            line += " (see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)";
        }
        return line;
    }

    /** What failed while a command ran. {@code hasBatch}: the command has a {@code --batch} that memory trouble can be met with. */
    static String describe(Throwable e, boolean hasBatch) {
        if ((e instanceof UncheckedIOException || e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            return describe(e.getCause(), hasBatch);
        }
        if (e instanceof OutOfMemoryError) return outOfMemory(e, hasBatch);
        if (e instanceof FileSystemException f) return file(f);
        String message = e.getMessage() == null ? null : firstLine(e.getMessage());
        // vitcap's own exceptions carry a message for the user; the JDK's unchecked ones (and errors) are bugs.
        boolean forTheUser = e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || !e.getClass().getName().startsWith("java.");
        if (forTheUser && message != null && !message.isBlank()) return message;
        return "internal error (a bug in vitcap: please report it with this line): " + (message != null ? message + " " : "") + "at " + where(e);
    }

    static String describe(Throwable e) {
        return describe(e, false);
    }

    /**
     * A file operation that failed, naming the file and saying why in words: Java often gives only the
     * path, or the path and a second one (a temporary file renamed onto it), and "no such file" for a
     * symbolic link loop.
     */
    static String file(FileSystemException e) {
        // A rename's target is the file the user named; its source is a temporary name of no interest.
        String file = e.getOtherFile() != null ? e.getOtherFile() : e.getFile();
        String reason = e instanceof NoSuchFileException ? Missing.why(Path.of(file))
                : e.getReason() != null ? e.getReason()
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof DirectoryNotEmptyException ? "a folder that is not empty"
                : e instanceof FileAlreadyExistsException ? "a file is in the way"
                : "cannot be used";
        return file + ": " + reason;
    }

    private static String outOfMemory(Throwable e, boolean hasBatch) {
        // Tensors live in native memory under JavaCPP's own cap, which ./vitcap sets to four fifths of the machine's;
        // JavaCPP says "Cannot allocate new FloatPointer(…)", caused by "… > maxBytes (…)".
        boolean tensors = false;
        for (Throwable t = e; t != null; t = t.getCause()) tensors |= String.valueOf(t.getMessage()).matches("(?s).*(Pointer\\(|maxBytes).*");
        if (tensors) {
            String cap = System.getProperty("org.bytedeco.javacpp.maxBytes");
            return "out of memory for tensors" + (cap != null && cap.matches("\\d+") ? " (they may take " + (Long.parseLong(cap) >> 20) + " MiB, four fifths of this machine's memory as ./vitcap sets it)" : "")
                    + ": use a smaller " + (hasBatch ? "--batch or a smaller " : "") + "model";
        }
        return "out of memory: the Java heap (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) is full; raise it with "
                + "VITCAP_JAVA_OPTS=\"-Xmx12g -XX:+UseSerialGC\" (./vitcap's default is -Xmx6g)" + (hasBatch ? ", or use a smaller --batch" : "");
    }

    /** The innermost place in vitcap's code the exception was thrown from, for a bug report. */
    private static String where(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.vitcap.")) return frame.getFileName() + ":" + frame.getLineNumber();
        }
        return e.getStackTrace().length > 0 ? String.valueOf(e.getStackTrace()[0]) : "an unknown place";
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse(message);
    }
}
