package dev.vitcap.io;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments inside a save ({@code last.json:written}, {@code last.safetensors:renamed}, …) where
 * a test may freeze the process to kill it there: with {@code -Dvitcap.pause-at=NAME} or
 * {@code NAME#N} (the N-th time it is reached), the process prints {@code paused at NAME} to standard
 * error and sleeps until killed. Without the property it does nothing; it exists so that the kill
 * test can reach every step of a checkpoint save, not only the ones a random moment happens to hit.
 */
public final class PausePoints {
    private static final String AT = System.getProperty("vitcap.pause-at");
    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    private PausePoints() {
    }

    static void reach(String name) {
        if (AT == null) return;
        int hash = AT.lastIndexOf('#');
        String point = hash < 0 ? AT : AT.substring(0, hash);
        int nth = hash < 0 ? 1 : Integer.parseInt(AT.substring(hash + 1));
        if (!point.equals(name) || REACHED.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet() != nth) return;
        System.err.println("paused at " + AT);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep still: only a kill ends this process
            }
        }
    }
}
