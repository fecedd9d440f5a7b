package dev.vitcap.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop into one fixed chunk per core: the calling thread runs the first, vitcap's own worker
 * threads the others. The split depends only on the size, never on timing, so results are the same on
 * every run; loops too small to pay for a hand-off run inline.
 *
 * <p>Why its own workers: a decoding step makes a dozen parallel calls a few tens to hundreds of
 * microseconds apart, and a parked thread takes about 10 µs to wake (a pool's worker, measured with
 * trivial chunks: 0.2 µs back to back, 9-10 µs 100 µs apart), during which the caller waits. A worker
 * here spins for a while after each chunk before it parks, so the next call finds it awake. When the
 * machine has fewer cores than chunks, the workers park at once instead of spinning.
 */
final class Parallel {
    /**
     * Overrides the number of chunks, which is otherwise the cores the JVM sees: a JVM that shares its
     * machine (a Spark executor beside others) keeps to its own cores.
     */
    static final String THREADS_PROPERTY = "vitcap.threads";
    /** The chunks a loop is split into; 0 when {@link #THREADS_PROPERTY} is not a whole number of at least 1. */
    static final int THREADS = threads(System.getProperty(THREADS_PROPERTY));
    /** How long an idle worker stays awake: longer than the gaps between a decoding step's calls. */
    private static final long SPIN_NANOS = THREADS <= Runtime.getRuntime().availableProcessors() ? 500_000 : 0;
    private static final Worker[] WORKERS = startWorkers(Math.max(0, THREADS - 1));

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

    /**
     * Runs {@code body} over {@code [0, n)} in {@link #chunks} chunks and returns when all are done,
     * rethrowing the first failure. A worker with another caller's chunk already waiting for it is not
     * waited for: the chunk runs on the calling thread, as does everything a worker's own chunk asks for.
     */
    static void forEach(int n, long cost, Range body) {
        int chunks = chunks(n, cost);
        if (chunks == 1 || Thread.currentThread() instanceof Worker) {
            body.run(0, 0, n);
            return;
        }
        Call call = new Call(body, chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            Chunk chunk = new Chunk(call, c, from, to);
            if (!WORKERS[c - 1].offer(chunk)) chunk.run();
        }
        try {
            body.run(0, 0, (int) ((long) n / chunks));
        } finally {
            call.await();
        }
        call.rethrow();
    }

    /** One {@link #forEach}: its body, the chunks still running elsewhere, and the first failure. */
    private static final class Call {
        final Range body;
        final AtomicInteger running;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Call(Range body, int others) {
            this.body = body;
            this.running = new AtomicInteger(others);
        }

        void await() {
            for (int spins = 0; running.get() > 0; spins++) {
                if (spins < 100_000) Thread.onSpinWait();
                else Thread.yield();
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    private record Chunk(Call call, int index, int from, int to) implements Runnable {
        @Override
        public void run() {
            try {
                call.body.run(index, from, to);
            } catch (Throwable t) {
                call.failure.compareAndSet(null, t);
            } finally {
                call.running.decrementAndGet();
            }
        }
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
        return workers;
    }

    /** A daemon thread that runs one chunk at a time, handed over through {@link #offer}. */
    private static final class Worker extends Thread {
        private final AtomicReference<Runnable> next = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("vitcap-worker-" + index);
            setDaemon(true);
        }

        /** Hands a chunk over, to run after the one the worker may be running; false when one already waits. */
        boolean offer(Runnable chunk) {
            if (!next.compareAndSet(null, chunk)) return false;
            if (parked) LockSupport.unpark(this);
            return true;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Runnable chunk = next.getAndSet(null);   // the slot is free again: a next chunk may wait there
                if (chunk != null) {
                    chunk.run();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Announce the sleep before the last look, and offer() wakes after it hands over:
                    // one of the two sees the other, so no chunk waits for a worker that sleeps.
                    parked = true;
                    if (next.get() == null) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
