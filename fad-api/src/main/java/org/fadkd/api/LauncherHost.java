package org.fadkd.api;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What the runner offers a {@link JobLauncher}. Thread-safe: a launcher may call it from the
 * threads that watch its workers.
 *
 * @since 0.2
 */
public interface LauncherHost {
    /**
     * Runs one job in this process, as the runner does without a launcher, and returns when it has
     * ended (finished, failed, or stopped by {@link #stopRequested()}). Only from the thread that
     * called {@link JobLauncher#launch}: jobs in one process run one after another.
     *
     * @param job one of the jobs passed to {@code launch}
     * @since 0.2
     */
    void runInProcess(PlannedJob job);

    /**
     * The command that runs exactly {@code job} in a fresh JVM, in {@link #workingDirectory()}:
     * this JVM's {@code java}, class path, JVM options and system properties, the runner's project
     * layout (cache, data, config and plugin directories), then {@code org.fadkd.runner.Main --job
     * DIR}. It needs no environment of its own. A summary the job left in its directory from an
     * earlier attempt is removed when the command is made, so that its outcome is this attempt's. A scheduler
     * that starts it on another machine needs the same installation and file system there. The
     * process exits with 0 when the job finished, 1 when it failed, 2 when the directory holds no
     * planned job.
     *
     * @param job the job
     * @param systemProperties properties set on the worker's command line after this JVM's (the
     *     engine's thread counts, {@code ai.djl.pytorch.num_threads}), empty for none
     * @return the command and its arguments, never empty
     * @since 0.2
     */
    List<String> jobCommand(PlannedJob job, Map<String, String> systemProperties);

    /**
     * The directory a job's command must run in: the runner's working directory, against which
     * the job's relative paths (data, outputs) were resolved.
     *
     * @return the directory, absolute, never null
     * @since 0.2
     */
    java.nio.file.Path workingDirectory();

    /**
     * Records that a job's process ended without writing its {@code summary.json}: writes a FAILED
     * summary with {@code reason} and marks its tracking run KILLED or FAILED. Does nothing when
     * the job wrote its summary after all.
     *
     * @param job the job
     * @param killed whether it was stopped on purpose (Ctrl-C, a signal, a scheduler's cancel),
     *     rather than crashed
     * @param reason what happened, in plain words ("the worker was killed by signal 9")
     * @since 0.2
     */
    void jobLost(PlannedJob job, boolean killed, String reason);

    /**
     * Whether the runner was asked to stop (Ctrl-C, SIGTERM): a launcher then starts no more jobs,
     * stops the running ones and returns.
     *
     * @since 0.2
     */
    boolean stopRequested();

    /**
     * Where a launcher prints its progress, never null.
     *
     * @since 0.2
     */
    PrintStream console();

    /**
     * The number of processors this machine offers the runner ({@link Runtime#availableProcessors()},
     * which follows {@code taskset} and container limits).
     *
     * @since 0.2
     */
    default int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }
}
