package dev.vitcap.spark;

import dev.vitcap.caption.ImageCaptioner;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

import dev.vitcap.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The captioners open in this JVM: one per checkpoint and settings, opened by the first task that needs
 * it and shared by every task the executor runs after, so the model is read once per executor and its
 * single model thread gathers all the tasks' images into batches. They close when the JVM exits.
 */
final class ExecutorCaptioners {
    /** What makes two captioners the same. */
    record Key(Path checkpoint, String backend, int batch) {}

    private static final Map<Key, ImageCaptioner> OPEN = new HashMap<>();
    /** The folders shipped checkpoints were written to, by broadcast id. */
    private static final Map<Long, Path> RECEIVED = new HashMap<>();
    private static boolean hooked;

    private ExecutorCaptioners() {}

    /** This JVM's captioner for {@code key}, opened (once, whichever task asks first) if need be. */
    static synchronized ImageCaptioner get(Key key) throws IOException {
        ImageCaptioner open = OPEN.get(key);
        if (open != null) return open;
        keepToExecutorCores();
        ImageCaptioner captioner = ImageCaptioner.open(key.checkpoint(), ImageCaptioner.Options.defaults()
                .withBackend(key.backend()).withMaxBatch(key.batch())
                // Tasks queue at most two batches each ahead of the model; room for many tasks' worth.
                .withQueueCapacity(Math.max(1024, 64 * key.batch())));
        OPEN.put(key, captioner);
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorCaptioners::closeAll, "vitcap-close-captioners"));
            hooked = true;
        }
        return captioner;
    }

    /**
     * The folder holding a shipped checkpoint's files in this JVM: written once per broadcast, each file
     * under a temporary name renamed when whole, and removed when the JVM exits.
     */
    static synchronized Path received(long broadcast, Map<String, byte[]> files) throws IOException {
        Path dir = RECEIVED.get(broadcast);
        if (dir != null) return dir;
        dir = Files.createTempDirectory("vitcap-checkpoint-");
        for (Map.Entry<String, byte[]> f : files.entrySet()) AtomicFiles.write(dir.resolve(f.getKey()), out -> out.write(f.getValue()));
        Path written = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String name : files.keySet()) written.resolve(name).toFile().delete();
            written.toFile().delete();
        }, "vitcap-remove-checkpoint"));
        RECEIVED.put(broadcast, dir);
        return dir;
    }

    /** Closes every captioner of this JVM (a local job's driver, between jobs, or at exit). */
    static synchronized void closeAll() {
        OPEN.values().forEach(ImageCaptioner::close);
        OPEN.clear();
    }

    /**
     * The model's kernels split their work over the executor's cores, not the machine's: executors that
     * share a worker would otherwise each start a thread per core of the whole machine. A
     * {@code -Dvitcap.threads} the user set stays; it is read once, when the CPU backend first loads.
     */
    private static void keepToExecutorCores() {
        if (System.getProperty("vitcap.threads") != null) return;
        SparkEnv env = SparkEnv.get();
        if (env != null) System.setProperty("vitcap.threads", Integer.toString(executorCores(env.conf())));
    }

    /** The cores an executor runs tasks on: N of {@code local[N]}, else {@code spark.executor.cores}, else the machine's. */
    static int executorCores(SparkConf conf) {
        int machine = Runtime.getRuntime().availableProcessors();
        String master = conf.get("spark.master", "");
        if (master.equals("local")) return 1;
        if (master.startsWith("local[")) {
            String n = master.substring("local[".length()).split("[,\\]]")[0].trim();
            if (n.equals("*")) return machine;
            try {
                return Math.max(1, Integer.parseInt(n));
            } catch (NumberFormatException e) {
                return machine;
            }
        }
        return conf.getInt("spark.executor.cores", machine);
    }
}
