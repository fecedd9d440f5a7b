package dev.vitcap.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelTest {
    /** Enough work per item that the loop is split whenever the JVM has more than one core. */
    private static final long SPLIT = 1 << 20;

    @Test
    void threadsComeFromThePropertyWhenItIsAPositiveWholeNumber() {
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), Parallel.threads(null));
        assertEquals(3, Parallel.threads("3"));
        assertEquals(3, Parallel.threads(" 3 "));
        assertEquals(0, Parallel.threads("0"), "0 marks the backend unusable");
        assertEquals(0, Parallel.threads("-2"));
        assertEquals(0, Parallel.threads("two"));
    }

    @Test
    void everyIndexRunsOnceInChunksThatDependOnlyOnTheSize() {
        int n = 1001;
        for (int round = 0; round < 200; round++) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n), chunkOf = new AtomicIntegerArray(n);
            Parallel.forEach(n, SPLIT, (chunk, from, to) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                    chunkOf.set(i, chunk);
                }
            });
            int chunks = Parallel.chunks(n, SPLIT);
            for (int i = 0; i < n; i++) {
                int expected = 0;   // chunk c starts at n·c/chunks
                while (expected + 1 < chunks && (long) n * (expected + 1) / chunks <= i) expected++;
                assertEquals(1, seen.get(i), "index " + i);
                assertEquals(expected, chunkOf.get(i), "chunk of index " + i);
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing = 0; failing < Parallel.chunks(8, SPLIT); failing++) {
            int f = failing;
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Parallel.forEach(8, SPLIT, (chunk, from, to) -> {
                if (chunk == f) throw boom;
            })));
        }
        int[] after = new int[1];
        Parallel.forEach(8, SPLIT, (chunk, from, to) -> {
            synchronized (after) {
                after[0] += to - from;
            }
        });
        assertEquals(8, after[0], "the workers still run after a failure");
    }

    @Test
    void loopsInsideLoopsAndLoopsFromManyThreadsAllFinish() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> sums = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sums.add(callers.submit(() -> {
                    long total = 0;
                    for (int round = 0; round < 300; round++) {
                        long[] parts = new long[Parallel.THREADS];
                        Parallel.forEach(64, SPLIT, (chunk, from, to) -> {
                            long[] inner = new long[Parallel.THREADS];
                            Parallel.forEach(to - from, SPLIT, (c, f, e) -> {
                                for (int i = f; i < e; i++) inner[c] += from + i;
                            });
                            for (long v : inner) parts[chunk] += v;
                        });
                        for (long v : parts) total += v;
                    }
                    return total;
                }));
            }
            for (Future<Long> sum : sums) assertEquals(300L * (63 * 64 / 2), sum.get(60, TimeUnit.SECONDS));
        } finally {
            callers.shutdownNow();
        }
    }
}
