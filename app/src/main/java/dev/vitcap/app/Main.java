package dev.vitcap.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vitcap} command line: one subcommand per job. */
@Command(name = "vitcap", mixinStandardHelpOptions = true, version = "vitcap 0.1.0",
        description = "Image captioning on the JVM: a ViT encoder and an LSTM decoder with attention.",
        subcommands = {CommandLine.HelpCommand.class, DataCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
