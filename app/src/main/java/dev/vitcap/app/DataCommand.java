package dev.vitcap.app;

import dev.vitcap.data.synth.SynthWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vitcap data}: making and preparing data sets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Make and prepare data sets.",
        subcommands = {DataCommand.Synth.class})
public final class DataCommand {

    /** {@code vitcap data synth}: the built-in synthetic world (docs/synthetic-world.md). */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Generate the synthetic world: images of coloured shapes, five true captions each, and their scenes.")
    static final class Synth implements Callable<Integer> {
        @Spec
        CommandSpec command;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into (created if missing).")
        Path out;

        @Option(names = "--train", defaultValue = "10000", paramLabel = "N", description = "Training images (default ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--val", defaultValue = "1000", paramLabel = "N", description = "Validation images (default ${DEFAULT-VALUE}).")
        int val;

        @Option(names = "--test", defaultValue = "1000", paramLabel = "N", description = "Test images (default ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--size", defaultValue = "64", paramLabel = "PX", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed; the same arguments give the same files (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            SynthWorld.Spec spec;
            try {
                spec = new SynthWorld.Spec(out, train, val, test, size, seed);
            } catch (IllegalArgumentException e) {
                command.commandLine().getErr().println("vitcap data synth: " + e.getMessage());
                return 2;
            }
            long start = System.nanoTime();
            SynthWorld.Summary summary;
            try {
                summary = SynthWorld.generate(spec);
            } catch (IOException e) {
                command.commandLine().getErr().println("vitcap data synth: cannot write " + describe(e));
                return 1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            command.commandLine().getOut().printf(Locale.ROOT, "wrote %d images (train %d, val %d, test %d) of %d px and %d captions to %s in %.1f s%n",
                    summary.images(), train, val, test, size, summary.captions(), out, seconds);
            return 0;
        }
    }

    /** Which file and why, in words: Java's file exceptions often carry only the path. */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException failure)) return String.valueOf(e.getMessage());
        String reason = failure.getReason() != null ? failure.getReason()
                : failure instanceof AccessDeniedException ? "permission denied"
                : failure instanceof FileAlreadyExistsException ? "a file is in the way"
                : failure instanceof NoSuchFileException ? "no such file or directory"
                : failure.getClass().getSimpleName();
        return failure.getFile() + ": " + reason;
    }
}
