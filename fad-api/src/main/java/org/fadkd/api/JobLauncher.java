package org.fadkd.api;

import java.util.List;

/**
 * Runs the planned jobs of a sweep: in this process, in worker processes, or by handing them to a
 * scheduler that already exists (SLURM's {@code sbatch --array}, a Kubernetes job). FAD never
 * schedules for itself: a launcher turns each {@link PlannedJob} into the command {@link
 * LauncherHost#jobCommand} gives and lets its scheduler run it, or asks the host to {@link
 * LauncherHost#runInProcess run it here}.
 *
 * <p>The host plans and writes every job's directory before it calls {@link #launch}, and gathers
 * every job's result from its directory after {@code launch} returns, the same way whichever
 * launcher ran it: a launcher returns nothing. A job that ended without writing its {@code
 * summary.json} (its process was killed, its node lost) is recorded through {@link
 * LauncherHost#jobLost}; one the launcher never started keeps no summary and {@code runner --resume}
 * runs it.
 *
 * <p>Lifecycle: created once per sweep, {@code launch} called once, on the runner's main thread.
 *
 * @since 0.2
 */
public interface JobLauncher {
    /**
     * Runs every job and returns once each has ended, or once {@link LauncherHost#stopRequested()}
     * turned true and the jobs still running were stopped (and recorded through {@link
     * LauncherHost#jobLost} with {@code killed = true}). A job that fails does not stop the
     * others.
     *
     * @param jobs the jobs to run, in the sweep's order; never null, never empty
     * @param host what the runner offers the launcher; never null
     * @throws FadException when the launcher cannot run the jobs at all (its scheduler is missing),
     *     naming what is missing; jobs it did run keep their results
     * @since 0.2
     */
    void launch(List<PlannedJob> jobs, LauncherHost host);
}
