package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.fadkd.runner.tracking.TrackingSettings;

/**
 * Sends spools to MLflow while they are written: one background thread follows every registered
 * spool and replays what is new (see {@link SpoolReplay}), so training never waits for the
 * server. When the server cannot be reached or does not answer within the request timeout, at
 * start or in the middle of a run, it says so once, keeps trying with growing pauses, and sends
 * everything once the server is back; whatever is still unsent when the process ends stays in the
 * spools for {@code runner sync}.
 *
 * <p>Closing does not wait for a server that did not answer the last attempt in time: the request
 * still waiting for it is abandoned and no further attempt is made, so that a server that accepts
 * connections and never answers costs the end of a run nothing (the spools keep everything).
 *
 * <p>Thread-safe: any thread may register spools and {@link #wakeUp()} the sender.
 */
public final class LiveSender implements AutoCloseable {
    private final TrackingSettings settings;
    private final Consumer<String> warnings;
    private final Duration pollInterval;
    private final Duration firstRetryDelay;
    private final Duration longestRetryDelay;
    private final MlflowServer server;
    private final SpoolReplays replays;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Spool directories in registration order; guarded by {@code lock}. */
    private final Set<Path> directories = new LinkedHashSet<>();
    /** Spools the server refused; left for {@code runner sync}. Only the sender thread uses it. */
    private final Set<Path> refused = new LinkedHashSet<>();
    private boolean wakeUpRequested;
    private boolean closing;
    private volatile boolean drained;
    private volatile boolean warnedUnreachable;
    /**
     * Whether the last finished attempt ended waiting for the server in vain (it stays set while
     * the next attempt waits); a closing sender then abandons that wait.
     */
    private volatile boolean lastAttemptTimedOut;

    /**
     * Starts the sender thread.
     *
     * @param settings the server (a URI is required)
     * @param warnings receives each warning once: the server is unreachable, or it refused a spool
     */
    public LiveSender(TrackingSettings settings, Consumer<String> warnings) {
        this(settings, warnings, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    /**
     * @param pollInterval how often spools are checked for new lines without a {@link #wakeUp()}
     * @param firstRetryDelay the pause after the server was found unreachable, doubled each time
     * @param longestRetryDelay the longest such pause
     */
    public LiveSender(TrackingSettings settings, Consumer<String> warnings, Duration pollInterval,
            Duration firstRetryDelay, Duration longestRetryDelay) {
        this.settings = requireNonNull(settings, "settings is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.firstRetryDelay = requireNonNull(firstRetryDelay, "firstRetryDelay is null");
        this.longestRetryDelay = requireNonNull(longestRetryDelay, "longestRetryDelay is null");
        this.server = new MlflowServer(settings);
        // The sender thread alone uses the replays; warnings from them go straight to the user.
        this.replays = new SpoolReplays(server, settings, null, warnings);
        this.thread = new Thread(this::run, "mlflow-sender");
        // A daemon, so that a server that hangs cannot keep the JVM alive; close() bounds the wait.
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows the spool in {@code directory} from now on; parents before their children. */
    public void register(Path directory) {
        lock.lock();
        try {
            directories.add(directory.toAbsolutePath().normalize());
        } finally {
            lock.unlock();
        }
        wakeUp();
    }

    /** Asks the sender to look at the spools now rather than at its next poll. */
    public void wakeUp() {
        signal(false);
    }

    /** Wakes the sender thread to look again, or to finish when {@code close}. */
    private void signal(boolean close) {
        lock.lock();
        try {
            if (close) {
                closing = true;
            } else {
                wakeUpRequested = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the server was found unreachable at least once. */
    public boolean hasWarnedUnreachable() {
        return warnedUnreachable;
    }

    private void run() {
        Duration retryDelay = firstRetryDelay;
        while (true) {
            boolean last = isClosing();
            boolean reachable = sendAll();
            if (reachable) {
                lastAttemptTimedOut = false;
            }
            // Closing, and the server just failed: one more try would only wait for it again.
            if (last || (!reachable && isClosing())) {
                drained = reachable && allSent();
                return;
            }
            if (reachable) {
                retryDelay = firstRetryDelay;
                awaitChange(pollInterval, true);
            } else {
                awaitChange(retryDelay, false);
                retryDelay = retryDelay.multipliedBy(2).compareTo(longestRetryDelay) > 0
                        ? longestRetryDelay : retryDelay.multipliedBy(2);
            }
        }
    }

    /** Replays every spool once; false when the server could not be reached. */
    private boolean sendAll() {
        for (Path directory : snapshot()) {
            if (refused.contains(directory)) {
                continue;
            }
            try {
                replays.get(directory).replay();
            } catch (TrackingUnavailableException e) {
                lastAttemptTimedOut = e.timedOut();
                // A request abandoned by close() says nothing about the server.
                if (!warnedUnreachable && !server.isAborted()) {
                    warnedUnreachable = true;
                    String problem = e.timedOut()
                            ? settings.redactSecrets(String.valueOf(e.getMessage()))
                            : String.format("MLflow tracking at %s is unreachable (%s)", settings.displayUri(),
                                    rootCause(e));
                    warnings.accept(problem + ". Training goes on; every event stays in the run's tracking.jsonl,"
                            + " is sent when the server is back, and 'runner sync' sends what this process could not.");
                }
                return false;
            } catch (TrackingRejectedException | IllegalStateException e) {
                refused.add(directory);
                warnings.accept(String.format("MLflow tracking of %s stopped: %s Training goes on; the spool is kept.",
                        directory, settings.redactSecrets(String.valueOf(e.getMessage()))));
            } catch (RuntimeException e) {
                // A bug or a file problem must not kill the sender thread; report it like a refusal.
                refused.add(directory);
                warnings.accept(String.format("MLflow tracking of %s stopped: %s", directory,
                        settings.redactSecrets(String.valueOf(e))));
            }
        }
        return true;
    }

    private boolean allSent() {
        for (Path directory : snapshot()) {
            if (refused.contains(directory) || !replays.get(directory).isUpToDate()) {
                return false;
            }
        }
        return true;
    }

    private String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return settings.redactSecrets(message);
    }

    private List<Path> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(directories);
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a wake-up, close or the timeout. While the server is unreachable only close ends
     * the pause early: new lines alone do not make it reachable.
     */
    private void awaitChange(Duration timeout, boolean wakeOnNewLines) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!closing && !(wakeOnNewLines && wakeUpRequested) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            wakeUpRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what is left, waiting at most {@code maxWait}, and stops the thread. When the server
     * did not answer the last attempt in time, the request in flight is abandoned and nothing more
     * is tried: the spools keep it for {@code runner sync}.
     *
     * @return true when every registered spool was sent completely
     */
    public boolean close(Duration maxWait) {
        signal(true);
        if (lastAttemptTimedOut) {
            server.abort();
        }
        try {
            thread.join(Math.max(1, maxWait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = !thread.isAlive() && drained;
        if (!thread.isAlive()) {
            server.close();
        }
        return finished;
    }

    /** Closes with a wait of 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** The registered spool directories, for the message that names what is left for sync. */
    public List<Path> directories() {
        return snapshot();
    }

}
