package org.fadkd.runner.launch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.JobLauncher;
import org.fadkd.api.LauncherHost;
import org.fadkd.api.PlannedJob;

/**
 * Runs a sweep's jobs on this machine: with one job at a time in the runner's process, as the
 * runner always did; with more, each in a worker process of its own, at most {@code jobs} at
 * once. The pool is bounded and first come, first served, in the sweep's order; a worker's output
 * goes to {@value #LOG_FILE} in its job directory.
 */
final class LocalLauncher implements JobLauncher {
    /** A worker's standard output and error, in its job directory. */
    static final String LOG_FILE = "job.log";
    /** How often the pool looks at its workers. */
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * How long stopped workers get to reach a step boundary before they are killed: below the 25 s
     * the runner's own stop hook waits for the launcher to return.
     */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Unix exit codes of a process ended by SIGKILL and SIGTERM (128 + signal). */
    private static final int SIGKILL_EXIT = 137;
    private static final int SIGTERM_EXIT = 143;

    private final LocalLauncherSettings settings;

    LocalLauncher(LocalLauncherSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public void launch(List<PlannedJob> jobs, LauncherHost host) {
        if (settings.jobs() == 1) {
            for (PlannedJob job : jobs) {
                if (host.stopRequested()) {
                    return; // the runner names the jobs left for --resume
                }
                host.runInProcess(job);
            }
            return;
        }
        new Pool(jobs, host).run();
    }

    /** One sweep's worker processes. */
    private final class Pool {
        private final LauncherHost host;
        private final int total;
        private final Deque<PlannedJob> waiting;
        private final Map<PlannedJob, Process> running = new LinkedHashMap<>();
        private final Map<String, String> threadProperties;
        private final int threads;
        private int done;
        private int failed;
        private String lastProgress = "";

        Pool(List<PlannedJob> jobs, LauncherHost host) {
            this.host = host;
            this.total = jobs.size();
            this.waiting = new ArrayDeque<>(jobs);
            this.threads = settings.threadsPerWorker(host.availableProcessors());
            this.threadProperties = Map.of(
                    "ai.djl.pytorch.num_threads", Integer.toString(threads),
                    "ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        }

        void run() {
            host.console().printf("Local launcher: %d job%s, at most %d at once, each in a worker process with %d"
                    + " engine thread%s; each worker's output in <job>/%s%n", total, total == 1 ? "" : "s",
                    settings.jobs(), threads, threads == 1 ? "" : "s", LOG_FILE);
            try {
                while (!waiting.isEmpty() || !running.isEmpty()) {
                    if (host.stopRequested()) {
                        stopAll();
                        return;
                    }
                    while (running.size() < settings.jobs() && !waiting.isEmpty()) {
                        start(waiting.poll());
                    }
                    reapEnded();
                    printProgress();
                    Thread.sleep(POLL.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopAll();
            }
        }

        private void start(PlannedJob job) {
            List<String> command = host.jobCommand(job, threadProperties);
            Path log = job.directory().resolve(LOG_FILE);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
            try {
                Process process = builder.start();
                running.put(job, process);
                host.console().printf("Job %d/%d started: worker pid %d, %s%s%n", job.number() + 1, total,
                        process.pid(), job.overrides().isEmpty() ? "" : String.join(" ", job.overrides()) + ", ", log);
            } catch (IOException e) {
                host.jobLost(job, false, "its worker process could not start: " + e.getMessage());
                failed++;
                host.console().printf("Job %d/%d failed: its worker process could not start (%s)%n",
                        job.number() + 1, total, e.getMessage());
            }
        }

        /** Counts the workers that ended and records those that ended without a summary. */
        private void reapEnded() {
            var ended = running.entrySet().iterator();
            while (ended.hasNext()) {
                var entry = ended.next();
                Process process = entry.getValue();
                if (process.isAlive()) {
                    continue;
                }
                ended.remove();
                PlannedJob job = entry.getKey();
                int exit = process.exitValue();
                Path log = job.directory().resolve(LOG_FILE);
                if (exit == 0) {
                    done++;
                    host.console().printf("Job %d/%d finished%n", job.number() + 1, total);
                    continue;
                }
                failed++;
                if (!Files.isRegularFile(job.directory().resolve("summary.json"))) {
                    host.jobLost(job, exit == SIGKILL_EXIT || exit == SIGTERM_EXIT, describeExit(exit, log));
                }
                host.console().printf("Job %d/%d failed (worker exit code %d; its output in %s)%n",
                        job.number() + 1, total, exit, log);
            }
        }

        private static String describeExit(int exit, Path log) {
            String how = exit > 128 && exit < 160
                    ? "was killed by signal " + (exit - 128)
                    : "exited with code " + exit;
            return "its worker process " + how + " before the job wrote its summary; its output is in " + log;
        }

        /** One line whenever the counts change: done, running, failed, waiting. */
        private void printProgress() {
            String progress = String.format("Jobs: %d done, %d running, %d failed, %d waiting (of %d)",
                    done, running.size(), failed, waiting.size(), total);
            if (!progress.equals(lastProgress)) {
                host.console().println(progress);
                lastProgress = progress;
            }
        }

        /**
         * Ctrl-C or SIGTERM: asks every worker to stop at its next step boundary (SIGTERM; the
         * worker records its job as stopped), kills those still running after the grace period,
         * and records every job that wrote no summary as killed.
         */
        private void stopAll() {
            if (running.isEmpty()) {
                return;
            }
            host.console().printf("Stopping %d worker%s ...%n", running.size(), running.size() == 1 ? "" : "s");
            running.values().forEach(Process::destroy);
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            for (Process process : running.values()) {
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!process.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            running.forEach((job, process) -> {
                if (!Files.isRegularFile(job.directory().resolve("summary.json"))) {
                    host.jobLost(job, true, "the runner was stopped (Ctrl-C or SIGTERM) while the job ran in"
                            + " worker pid " + process.pid());
                }
                failed++;
            });
            running.clear();
            printProgress();
        }
    }
}
