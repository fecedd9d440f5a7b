package dev.vitcap.app;

import dev.vitcap.tune.TrialProcess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.concurrent.Callable;

/** The {@code vitcap} command line: one subcommand per job. */
@Command(name = "vitcap", mixinStandardHelpOptions = true, version = "vitcap 0.1.0",
        description = "Image captioning on the JVM: a ViT encoder and an LSTM decoder with attention.")
public final class Main {
    /** The subcommands, in the order {@code --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(DoctorCommand.class, EncodeCommand.class, BenchCommand.class,
            ScoreCommand.class, PrepareCommand.class, DataCommand.class, TrainCommand.class, EvaluateCommand.class,
            CaptionCommand.class, DemoCommand.class, TuneCommand.class, ModelCommand.class, ServeCommand.class, SparkCaptionCommand.class, SparkScoreCommand.class,
            CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        TrialProcess.exitWithParent(); // a search's trial ends with its search
        // A failure on a worker thread is one line too, not a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> System.err.println("vitcap: " + Errors.describe(e)));
        String first = args.length > 0 ? args[0] : null;
        CommandLine cl = commandLine(first);
        int status;
        try {
            status = cl.execute(args);
        } catch (Error e) {
            // Picocli hands exceptions to the handler below, but lets errors (out of memory) through.
            CommandLine command = cl.getSubcommands().get(first);
            System.err.println(failure(command != null ? command : cl, e));
            status = 1;
        }
        System.exit(status);
    }

    /** The whole command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with only the subcommand {@code first} names when it names one, else (and for
     * {@code help}, which lists them) with all:
     * picocli reads every registered command's annotations up front, which took a tenth of a second
     * of each run's start for commands it would not run.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        List<Class<?>> only = COMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)).toList();
        for (Class<?> c : only.isEmpty() ? COMMANDS : only) cl.addSubcommand(c);
        // Bad input is one line on stderr saying what and where, never a stack trace: status 1 for what
        // went wrong at work, 2 for a usage error (picocli's, or an option's value out of its range).
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(failure(cmd, e));
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + Errors.usage(e));
            // A group of commands given alone ("vitcap data") is asking what it holds.
            if (!cmd.getSubcommands().isEmpty() && !(cmd.getCommand() instanceof Callable<?>) && !(e instanceof UnmatchedArgumentException)) {
                cmd.usage(cmd.getErr());
            }
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** The line a failure of {@code cmd} gets: the command, then what went wrong ({@code --batch} named where it could help). */
    private static String failure(CommandLine cmd, Throwable e) {
        return cmd.getCommandSpec().qualifiedName() + ": " + Errors.describe(e, cmd.getCommandSpec().findOption("--batch") != null);
    }
}
