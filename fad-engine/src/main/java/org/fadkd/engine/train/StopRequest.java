package org.fadkd.engine.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop training at the next step boundary, for the whole process: a SIGTERM or
 * Ctrl-C ends the JVM, and a JVM that exits while libtorch is inside an operation crashes in
 * native code. The host's shutdown hook {@linkplain #request requests} a stop and {@linkplain
 * #awaitStopped waits}; the training and evaluation loops {@linkplain #check check} between steps
 * and throw {@link TrainingStoppedException}, the job closes its models and records how it ended,
 * and the host says {@linkplain #stopped stopped} when nothing native runs any more.
 */
public final class StopRequest {
    private static volatile String reason;
    private static final CountDownLatch STOPPED = new CountDownLatch(1);

    private StopRequest() {}

    /** Asks every loop to stop at its next step boundary. */
    public static void request(String why) {
        reason = why;
    }

    /** Whether a stop was requested. */
    public static boolean requested() {
        return reason != null;
    }

    /**
     * Called between steps: throws when a stop was requested.
     *
     * @throws TrainingStoppedException naming why
     */
    public static void check() {
        String why = reason;
        if (why != null) {
            throw new TrainingStoppedException(why);
        }
    }

    /** The host's part once no loop runs any more: lets a waiting {@link #awaitStopped} return. */
    public static void stopped() {
        STOPPED.countDown();
    }

    /**
     * Waits until the host {@linkplain #stopped stopped}, at most {@code timeout}.
     *
     * @return whether it did in time
     */
    public static boolean awaitStopped(Duration timeout) {
        try {
            return STOPPED.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Training stopped on request, at a step boundary: the job ends, its last checkpoint kept. */
    public static final class TrainingStoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TrainingStoppedException(String why) {
            super("stopped at a step boundary: " + why);
        }
    }
}
