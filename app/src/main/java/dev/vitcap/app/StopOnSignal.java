package dev.vitcap.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM as a polite request: a shutdown hook tells the running job to stop and then holds
 * the JVM open (up to a limit) until the job has saved its work and closed this object.
 */
final class StopOnSignal implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    StopOnSignal(Runnable onStop, long waitSeconds) {
        hook = new Thread(() -> {
            requested = true;
            onStop.run();
            try {
                finished.await(waitSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vitcap-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested() {
        return requested;
    }

    /** The job is done (saved, or finished): the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting (a signal came): the hook has run and was waiting for the countdown above.
        }
    }
}
