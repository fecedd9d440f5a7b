package dev.vitcap.tune;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A trial's stage runs in a JVM of its own: its kernels get their share of the cores
 * ({@code -Dvitcap.threads}), a crash or an out-of-memory ends that trial only, and the search
 * outlives it. The child watches the search's process and exits when it goes, so a search killed
 * with {@code kill -9} leaves no trial training behind it.
 */
public final class TrialProcess {
    /** Names the search's process to a trial's JVM. */
    static final String PARENT_PROPERTY = "vitcap.tune.parent";
    /** The process id of the JVM training a trial, in its folder. */
    static final String PID_FILE = "trial.pid";

    private TrialProcess() {
    }

    /** The command that starts this JVM's {@code mainClass} again: the same Java, options and class path. */
    static List<String> javaCommand(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The trial gets its own thread count and parent; a debugger's agent would clash on its port, and
            // trials writing a class-data archive at exit would write over each other (they may read one).
            if (!option.startsWith("-Dvitcap.threads=") && !option.startsWith("-D" + PARENT_PROPERTY + "=") && !option.startsWith("-agentlib:jdwp")
                    && !option.startsWith("-XX:ArchiveClassesAtExit")) {
                cmd.add(option);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    /** Starts {@code command} with {@code threads} kernel threads, its output appended to {@code output}. */
    static Process start(List<String> command, int threads, Path output) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(1, "-Dvitcap.threads=" + threads);
        cmd.add(1, "-D" + PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    }

    /**
     * Waits (up to a minute) for the trial JVM named in {@code pidFile} to end, if it is still running: a
     * search killed a moment ago leaves its trials a second or so to notice, and the search continued
     * at once must not start a second JVM training into the same folder.
     */
    static void awaitEarlier(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) return;
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return; // cut short as it was written: its JVM had not started training
        }
        var earlier = ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(c -> c.contains(PARENT_PROPERTY)).orElse(false));
        if (earlier.isEmpty()) return;
        try {
            earlier.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException(pidFile.getParent() + ": an earlier trial process (" + pid + ") is still training there");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * In a trial's JVM (started with {@link #PARENT_PROPERTY}): exits at once when the search's process
     * ends. The trial's checkpoints are written to a temporary name and renamed, so none is left torn.
     */
    public static void exitWithParent() {
        String pid = System.getProperty(PARENT_PROPERTY);
        if (pid == null) return;
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)),
                () -> Runtime.getRuntime().halt(137));
    }
}
