package dev.vitcap.app;

import dev.vitcap.data.synth.SynthWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
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

        @Option(names = "--train", defaultValue = "10000", paramLabel = "N", converter = Ranges.SynthCount.class, description = "Training images, at least 0 (default ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--val", defaultValue = "1000", paramLabel = "N", converter = Ranges.SynthCount.class, description = "Validation images, at least 0 (default ${DEFAULT-VALUE}).")
        int val;

        @Option(names = "--test", defaultValue = "1000", paramLabel = "N", converter = Ranges.SynthCount.class, description = "Test images, at least 0 (default ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--size", defaultValue = "64", paramLabel = "PX", converter = Ranges.SynthSize.class, description = "Image side in pixels, 16 to 1024 (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed; the same arguments give the same files (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            SynthWorld.Spec spec;
            try {
                spec = new SynthWorld.Spec(out, train, val, test, size, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
            PathOptions.folderToWrite("--out", out);
            long start = System.nanoTime();
            SynthWorld.Summary summary = SynthWorld.generate(spec);
            double seconds = (System.nanoTime() - start) / 1e9;
            command.commandLine().getOut().printf(Locale.ROOT, "wrote %d images (train %d, val %d, test %d) of %d px and %d captions to %s in %.1f s%n",
                    summary.images(), train, val, test, size, summary.captions(), out, seconds);
            return 0;
        }
    }
}
