package dev.vitcap.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vitcap} command line: one subcommand per job. */
@Command(name = "vitcap", mixinStandardHelpOptions = true, version = "vitcap 0.1.0",
        description = "Image captioning on the JVM: a ViT encoder and an LSTM decoder with attention.",
        subcommands = {DoctorCommand.class, EncodeCommand.class, BenchCommand.class, ScoreCommand.class,
                PrepareCommand.class, DataCommand.class, TrainCommand.class, EvaluateCommand.class, CaptionCommand.class, DemoCommand.class,
                ModelCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // Bad input is one line on stderr saying what and where, never a stack trace.
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("vitcap " + cmd.getCommandName() + ": " + Errors.describe(e));
            return 1;
        });
        return cl;
    }
}
