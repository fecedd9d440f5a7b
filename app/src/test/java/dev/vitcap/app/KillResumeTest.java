package dev.vitcap.app;

import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.model.WeightSource;
import dev.vitcap.train.Trainer;
import dev.vitcap.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code vitcap train} in a child JVM, killed with SIGKILL again and again and resumed each time:
 * at random moments, and frozen inside each step of a checkpoint save (the temporary weights written,
 * the weights renamed into place, the temporary JSON written, the JSON renamed) and killed there.
 * After every kill each checkpoint on disk loads; in the end the run's checkpoints hold exactly the
 * weights, optimiser state and training state of a run never killed.
 *
 * <p>5 kills by default; {@code -Dvitcap.kills=20} (app/kill-check.sh) for the long run.
 */
class KillResumeTest {
    /** Every step of a save, for both checkpoints: where a kill is made to land. */
    static final List<String> SAVE_STEPS = List.of("last.safetensors:written", "last.safetensors:renamed", "last.json:written", "last.json:renamed",
            "best.safetensors:written", "best.safetensors:renamed", "best.json:written", "best.json:renamed");

    @Test
    void killedAtAnyMomentAndResumedEqualsARunNeverKilled(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("vitcap.kills", 5);
        long seed = Long.getLong("vitcap.kills.seed", System.nanoTime());
        Random rng = new Random(seed);
        Path world = dir.resolve("world");
        SynthWorld.generate(new SynthWorld.Spec(world, 32, 1, 1, 32, 3));

        Path straight = dir.resolve("straight"), killed = dir.resolve("killed");
        assertEquals(0, train(world, straight, null).waitFor(), "the uninterrupted run");

        List<String> log = new ArrayList<>();
        int offset = rng.nextInt(SAVE_STEPS.size());
        for (int i = 0; i < kills; i++) {
            // Even kills land in a save's steps (all of them over a long run), odd ones at a random time.
            String pauseAt = i % 2 == 0 ? SAVE_STEPS.get((offset + i / 2) % SAVE_STEPS.size()) : null;
            Process child = train(world, killed, pauseAt);
            String moment;
            if (pauseAt != null) {
                waitForPause(child, killed.resolveSibling("child.log"));
                moment = "paused at " + pauseAt;
            } else {
                long ms = 300 + rng.nextInt(3500);
                child.waitFor(ms, TimeUnit.MILLISECONDS);
                moment = "after " + ms + " ms";
            }
            if (!child.isAlive()) fail("the run ended before kill " + (i + 1) + " (" + moment + "); seed " + seed + "\n" + childLog(killed));
            child.destroyForcibly().waitFor();
            log.add("kill " + (i + 1) + " " + moment);
            for (String name : List.of(Trainer.BEST, Trainer.LAST)) {
                Path c = killed.resolve(name);
                if (Files.exists(c)) Checkpoint.load(c); // throws, naming the file, if a kill left a checkpoint that does not load
            }
        }
        assertEquals(0, train(world, killed, null).waitFor(), "the last resume; " + log + "\n" + childLog(killed));
        for (String name : List.of(Trainer.LAST, Trainer.BEST)) {
            Checkpoint expected = Checkpoint.load(straight.resolve(name)), actual = Checkpoint.load(killed.resolve(name));
            assertEquals(expected.training(), actual.training(), name + ": training state; seed " + seed + ", " + log);
            assertEquals(expected.optimizerSteps(), actual.optimizerSteps(), name);
            assertEquals(expected.tensors().keySet(), actual.tensors().keySet(), name);
            for (Map.Entry<String, WeightSource> e : expected.tensors().entrySet()) {
                assertArrayEquals(e.getValue().data(), actual.tensors().get(e.getKey()).data(), name + " " + e.getKey() + "; seed " + seed + ", " + log);
            }
        }
    }

    /**
     * {@code vitcap train} on the world's training split, long enough to outlast the kills, as a user
     * would restart it: {@code --resume} once there is a {@code last.json}; before that, a kill after
     * the first {@code best.json} leaves nothing to resume, and the run starts over with {@code --overwrite}.
     * Without validation data both checkpoints are saved after every epoch, so every save step recurs.
     */
    private static Process train(Path world, Path out, String pauseAt) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        if (pauseAt != null) command.add("-Dvitcap.pause-at=" + pauseAt);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--annotations", SynthFiles.annotations(world, Split.TRAIN).toString(), "--images", SynthFiles.imageDir(world, Split.TRAIN).toString(),
                "--out", out.toString(), "--model", "tiny", "--image-size", "32", "--epochs", Integer.toString(4 * Integer.getInteger("vitcap.kills", 5) + 4),
                "--batch", "8", "--min-count", "1", "--warmup", "2", "--patience", "0", "--backend", "cpu", "--seed", "11"));
        if (Files.exists(out.resolve(Trainer.LAST))) command.add("--resume");
        else if (Files.exists(out.resolve(Trainer.BEST))) command.add("--overwrite");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.resolveSibling("child.log").toFile()).start();
    }

    private static void waitForPause(Process child, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(output) && Files.readString(output).contains("paused at ")) return;
            Thread.sleep(20);
        }
        fail("the child never paused (alive: " + child.isAlive() + ")\n" + Files.readString(output));
    }

    private static String childLog(Path out) throws IOException {
        Path f = out.resolveSibling("child.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
