package dev.vitcap.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop into one fixed chunk per core: the calling thread runs the first, the common pool
 * the others. The split depends only on the size, never on timing, so results are the same on
 * every run; loops too small to pay for a hand-off run inline.
 */
final class Parallel {
    /**
     * Overrides the number of chunks, which is otherwise the cores the JVM sees: a JVM that shares its
     * machine (a Spark executor beside others) keeps to its own cores.
     */
    static final String THREADS_PROPERTY = "vitcap.threads";
    /** The chunks a loop is split into; 0 when {@link #THREADS_PROPERTY} is not a whole number of at least 1. */
    static final int THREADS = threads(System.getProperty(THREADS_PROPERTY));

    private Parallel() {
    }

    static int threads(String property) {
        if (property == null) return Math.max(1, Runtime.getRuntime().availableProcessors());
        try {
            return Math.max(0, Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    interface Range {
        void run(int chunk, int from, int to);
    }

    /** The number of chunks {@link #forEach} uses for {@code n} items of about {@code cost} floats of work each. */
    static int chunks(int n, long cost) {
        if (THREADS == 1 || n < 2 || (long) n * cost < 32_768) return 1;
        return Math.min(THREADS, n);
    }

    static void forEach(int n, long cost, Range body) {
        int chunks = chunks(n, cost);
        if (chunks == 1) {
            body.run(0, 0, n);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int chunk = c, from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            others[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(chunk, from, to));
        }
        body.run(0, 0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : others) t.join();
    }
}
