package org.fadkd.runner.tracking.session;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fadkd.engine.job.ConfigText;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.tracking.SpoolEvent;
import org.fadkd.runner.tracking.SpoolReader;
import org.fadkd.runner.tracking.SpoolRun;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;
import org.fadkd.runner.tracking.mlflow.LiveSender;

/**
 * The runner's one entry to tracking for a process: it writes run identities, tags, artifacts and
 * the sweep's summary into the spools, samples system metrics, and, when a tracking URI is set,
 * sends the spools to MLflow from a background thread ({@link LiveSender}). Without a URI the
 * spools are all there is, and {@code runner sync} can send them later.
 *
 * <p>A teacher trained by a job is logged as a run of its own ({@code fad.kind = teacher}, named
 * {@code teacher_<teacher>}), a child of the sweep's parent run (of the job's run when the job has
 * no sweep), with its spool in {@code <job directory>/teacher/}: the job's {@code teacher/...}
 * metrics go there without their prefix, so that the job's run holds only what every job of the
 * sweep has, whichever of them happened to train the teacher.
 *
 * <p>The runner calls {@link #sweepStarted} and {@link Sweep#finished} in
 * the sweep runner, {@link #jobStarted}, {@link Job#recordArtifacts} and {@link Job#close} in the
 * job runner, {@link #selectionStarted} for {@code runner select} and {@link #candidateStarted}
 * for every candidate a selection measures, {@link #installShutdownHook} once, {@link #close} at
 * the end.
 *
 * <p>Thread-safe.
 */
public final class TrackingSession implements AutoCloseable {
    /** Files of a job directory uploaded as artifacts when they exist, in this order. */
    private static final List<String> JOB_ARTIFACTS =
            List.of("config.conf", "overrides.txt", "summary.json", "error.txt", "student");
    /** Where a job keeps the spool of the teacher it trained. */
    public static final String TEACHER_DIRECTORY = "teacher";
    /** How long the shutdown hook waits for the sender: long enough to mark runs KILLED, short for Ctrl-C. */
    private static final Duration KILLED_FLUSH = Duration.ofSeconds(5);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(30);
    /** Where the child runs of a selection's candidates live, inside the selecting run's directory. */
    public static final String CANDIDATES_DIRECTORY = "selection";

    private final TrackingSettings settings;
    private final Optional<String> gitCommit;
    private final Consumer<String> warnings;
    private final LiveSender sender;
    /** Spools whose run is still going: what a kill must mark. */
    private final Set<TrackingSpool> running = ConcurrentHashMap.newKeySet();
    private Thread shutdownHook;
    private boolean finished;

    /**
     * @param sender the live sender, or null to track locally only
     */
    TrackingSession(TrackingSettings settings, Optional<String> gitCommit, Consumer<String> warnings, LiveSender sender) {
        this.settings = requireNonNull(settings, "settings is null");
        this.gitCommit = requireNonNull(gitCommit, "gitCommit is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
        this.sender = sender;
    }

    /**
     * Starts tracking for this process: with a URI, a sender thread that follows the spools.
     *
     * @param projectDirectory where to look for the git checkout whose commit runs are tagged with
     * @param warnings where warnings go (each at most once), e.g. {@code message -> console.println("WARNING: " + message)}
     */
    public static TrackingSession start(TrackingSettings settings, Path projectDirectory, Consumer<String> warnings) {
        LiveSender sender = settings.isRemote() ? new LiveSender(settings, warnings) : null;
        return new TrackingSession(settings, GitCommit.of(projectDirectory), warnings, sender);
    }

    public TrackingSettings settings() {
        return settings;
    }

    /**
     * Opens the parent run of a sweep: its spool in {@code sweepDirectory}, named after the start
     * time and the experiment, with the sweep's overrides as params. A sweep resumed in its
     * directory keeps its run.
     *
     * @param overrides the overrides that define the sweep (command line and experiment file), e.g. {@code method=kd,fad}
     */
    public Sweep sweepStarted(Path sweepDirectory, List<String> overrides, int jobs) {
        createDirectories(sweepDirectory);
        TrackingSpool spool = new TrackingSpool(sweepDirectory.resolve(TrackingSpool.FILE_NAME));
        if (existingRun(spool).isEmpty()) {
            spool.run(SpoolRun.sweep(TrackingTags.sweepRunName(settings.experiment(), LocalDateTime.now()),
                    settings.experiment()));
            spool.params(SweepSummary.params(overrides));
        }
        spool.tags(TrackingTags.sweepTags(settings.experimentFile(), overrides, jobs, gitCommit));
        spool.status("RUNNING", null);
        running.add(spool);
        register(sweepDirectory);
        return new Sweep(sweepDirectory, spool);
    }

    /**
     * The parent run of a sweep that another process opened and closes (the sweep's own runner,
     * while this process runs one of its jobs as a worker): a job started with it is tracked as
     * the sweep's child. Its spool is neither written nor closed here, so {@link Sweep#spool()} is
     * null and {@link Sweep#finished} and {@link Sweep#failed} must not be called.
     */
    public Sweep sweepJoined(Path sweepDirectory) {
        return new Sweep(sweepDirectory, null);
    }

    /**
     * Starts tracking a job whose spool the job runner has just opened: writes the run line and
     * the overrides that choose config group options as params ({@link
     * SweepSummary#overrideParams}; once: a resumed job keeps its run), the tags, sends the
     * teacher's training to a run of its own, and starts the system-metrics sampler.
     *
     * @param sweep the job's sweep, or null for a job run on its own
     */
    public Job jobStarted(TrackingSpool spool, Path jobDirectory, JobSpec spec, Sweep sweep) {
        if (existingRun(spool).isEmpty()) {
            String name = TrackingTags.jobRunName(spec);
            spool.run(sweep == null
                    ? SpoolRun.job(name, settings.experiment())
                    : SpoolRun.childJob(name, settings.experiment(), spec.number(),
                            relative(jobDirectory, sweep.directory())));
            spool.params(SweepSummary.overrideParams(spec));
        }
        spool.tags(TrackingTags.jobTags(spec, gitCommit));
        running.add(spool);
        register(jobDirectory);
        TeacherRun teacher = new TeacherRun(jobDirectory, spec, sweep);
        spool.divertMetrics(teacher);
        return new Job(spool, jobDirectory, teacher,
                SystemMetricsSampler.start(spool, settings.systemMetricsInterval()));
    }

    /**
     * Opens the parent run of a selection ({@code runner select}): its spool in {@code directory},
     * named after the experiment and the start time, with the job's config as params. Its children
     * are the candidates' runs ({@link #candidateStarted}) and, with {@code --validate}, the
     * candidates' distillations, which the job runner starts as jobs of this parent. Closed by
     * {@link Sweep#finished} or {@link Sweep#failed}.
     *
     * @param params the job's config, flattened
     */
    public Sweep selectionStarted(Path directory, JobSpec spec, Map<String, String> params) {
        createDirectories(directory);
        TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
        if (existingRun(spool).isEmpty()) {
            spool.run(SpoolRun.sweep(TrackingTags.selectionRunName(settings.experiment(), LocalDateTime.now()),
                    settings.experiment()));
            spool.params(params);
        }
        spool.tags(TrackingTags.selectionTags(spec, gitCommit));
        spool.status("RUNNING", null);
        running.add(spool);
        register(directory);
        return new Sweep(directory, spool);
    }

    /**
     * Opens the child run of one selection candidate in {@code <parentDirectory>/selection/<name>/}:
     * its spool, whose run names the parent's (a selection's parent run, or the job that selects
     * its student), and the candidate's tags. The caller closes it.
     *
     * @param number the candidate's position in {@code selection.candidates}
     */
    public Candidate candidateStarted(Path parentDirectory, String name, int number) {
        Path directory = parentDirectory.resolve(CANDIDATES_DIRECTORY).resolve(name);
        createDirectories(directory);
        TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
        if (existingRun(spool).isEmpty()) {
            spool.run(SpoolRun.childJob(TrackingTags.candidateRunName(name), settings.experiment(), number,
                    relative(directory, parentDirectory)));
        }
        spool.tags(TrackingTags.candidateTags(settings.experimentFile(), name, gitCommit));
        spool.status("RUNNING", null);
        running.add(spool);
        register(directory);
        return new Candidate(spool);
    }

    private static String relative(Path from, Path to) {
        String relative = from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString();
        return relative.isEmpty() ? "." : relative.replace('\\', '/');
    }

    private static Optional<SpoolRun> existingRun(TrackingSpool spool) {
        for (SpoolEvent event : SpoolReader.readAll(spool.file())) {
            if (event instanceof SpoolEvent.RunStarted started) {
                return Optional.of(started.run());
            }
        }
        return Optional.empty();
    }

    private void register(Path directory) {
        if (sender != null) {
            sender.register(directory);
        }
    }

    /** Lets the sender look at the spools now, e.g. at the end of an epoch. */
    public void wakeUp() {
        if (sender != null) {
            sender.wakeUp();
        }
    }

    /**
     * Marks every run still going as KILLED and sends what the sender can within a few seconds:
     * what the shutdown hook does on Ctrl-C or SIGTERM.
     */
    public void killed(String reason) {
        for (TrackingSpool spool : running) {
            spool.markKilled(reason);
        }
        running.clear();
        finish(KILLED_FLUSH);
    }

    /**
     * Registers {@link #killed} as a JVM shutdown hook; {@link #close} removes it again. A normal
     * end of the process reaches {@link #close} first, so the hook only acts on Ctrl-C or SIGTERM.
     */
    public synchronized void installShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> killed("the runner was stopped (Ctrl-C or SIGTERM)"), "tracking-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Sends what is left (waiting at most 30 seconds) and says what stays for {@code runner sync}. */
    @Override
    public void close() {
        synchronized (this) {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down: the hook runs anyway.
                }
                shutdownHook = null;
            }
        }
        finish(CLOSE_FLUSH);
    }

    private void finish(Duration maxWait) {
        synchronized (this) {
            // The shutdown hook and the main thread's close() may both get here; one report is enough.
            if (sender == null || finished) {
                return;
            }
            finished = true;
        }
        if (!sender.close(maxWait)) {
            List<String> directories = new ArrayList<>();
            sender.directories().forEach(directory -> directories.add(directory.toString()));
            warnings.accept(String.format("Not every tracking event reached MLflow at %s; they are kept in the"
                    + " spools. Send them with: runner sync %s", settings.displayUri(), commonParents(directories)));
        }
    }

    /** The sweep directories rather than every job directory, for a shorter sync command. */
    private static String commonParents(List<String> directories) {
        List<String> roots = new ArrayList<>();
        for (String directory : directories) {
            if (roots.stream().noneMatch(root -> directory.startsWith(root + java.io.File.separator))) {
                roots.add(directory);
            }
        }
        return String.join(" ", roots);
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    /** The parent run of a sweep or of a selection. */
    public final class Sweep {
        private final Path directory;
        private final TrackingSpool spool;

        private Sweep(Path directory, TrackingSpool spool) {
            this.directory = directory;
            this.spool = spool;
        }

        public Path directory() {
            return directory;
        }

        /** The parent's spool, for what a selection records besides its children: params, metrics, summary. */
        public TrackingSpool spool() {
            return spool;
        }

        /** Records FAILED with the reason and closes the parent's spool: the run stopped before its children. */
        public void failed(String reason) {
            spool.status("FAILED", reason);
            running.remove(spool);
            spool.close();
            wakeUp();
        }

        /**
         * Records mean and standard deviation per configuration ({@link SweepSummary}), FINISHED
         * (FAILED when no job finished), and closes the parent's spool.
         */
        public void finished(List<JobResult> results) {
            long failed = results.stream().filter(result -> !result.finished()).count();
            spool.params(SweepSummary.configurationParams(results));
            SweepSummary.metrics(results).forEach((key, value) -> spool.metric(key, value, 0));
            spool.tags(Map.of("fad.failed_jobs", Long.toString(failed)));
            if (!results.isEmpty() && failed == results.size()) {
                spool.status("FAILED", "every job failed");
            } else {
                spool.status("FINISHED", null);
            }
            running.remove(spool);
            spool.close();
            wakeUp();
        }
    }

    /** The run of one selection candidate, from its measurement to its score. */
    public final class Candidate implements AutoCloseable {
        private final TrackingSpool spool;
        private boolean ended;

        private Candidate(TrackingSpool spool) {
            this.spool = spool;
        }

        /** The candidate's spool: params, the proxy's metrics, the summary. */
        public TrackingSpool spool() {
            return spool;
        }

        /** Records the final status; {@link #close} then only closes the spool. */
        public void ended(String status, String reason) {
            spool.status(status, reason);
            ended = true;
        }

        /**
         * Closes the spool; a candidate that never reached {@link #ended} (the selection stopped
         * before scoring it) is recorded FAILED, so that it does not stay RUNNING in MLflow.
         */
        @Override
        public void close() {
            if (!ended) {
                ended("FAILED", "the selection stopped before this candidate was scored");
            }
            running.remove(spool);
            spool.close();
            wakeUp();
        }
    }

    /** A job's tracking, from its start to the end of its spool. */
    public final class Job implements AutoCloseable {
        private final TrackingSpool spool;
        private final Path directory;
        private final TeacherRun teacher;
        private final SystemMetricsSampler sampler;

        private Job(TrackingSpool spool, Path directory, TeacherRun teacher, SystemMetricsSampler sampler) {
            this.spool = spool;
            this.directory = directory;
            this.teacher = teacher;
            this.sampler = sampler;
        }

        /**
         * Records the job's files as artifacts: config.conf, overrides.txt, summary.json,
         * error.txt (the stack trace of a failure), the exported student and the plots (*.png),
         * those that exist. Call it after summary.json is written and before the final status.
         */
        public void recordArtifacts() {
            for (String name : JOB_ARTIFACTS) {
                if (Files.exists(directory.resolve(name))) {
                    spool.artifact(name, "");
                }
            }
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(file -> file.getFileName().toString().endsWith(".png"))
                        .sorted()
                        .forEach(file -> spool.artifact(file.getFileName().toString(), "plots"));
            } catch (IOException e) {
                warnings.accept("Could not list the plots of " + directory + ": " + e.getMessage());
            }
        }

        /**
         * Stops the sampler and ends the teacher's run, if the job trained one and it is still
         * going; the job's spool is the job runner's to close.
         */
        @Override
        public void close() {
            sampler.close();
            spool.divertMetrics(null);
            teacher.close(spool.lastStatus());
            running.remove(spool);
            wakeUp();
        }
    }

    /**
     * The run of the teacher a job trains, opened at the job's first {@code teacher/} metric. Its
     * training is over, and the run FINISHED, at the job's first metric of anything else (not
     * {@code system/}, which the sampler writes all along); a job that ends before that ends it
     * with the job's status.
     */
    private final class TeacherRun implements TrackingSpool.MetricDivert {
        private static final String PREFIX = "teacher/";
        private static final String SAMPLED = "system/";

        private final Path jobDirectory;
        private final JobSpec spec;
        private final Sweep sweep;
        private TrackingSpool spool;
        private boolean training;

        TeacherRun(Path jobDirectory, JobSpec spec, Sweep sweep) {
            this.jobDirectory = jobDirectory;
            this.spec = spec;
            this.sweep = sweep;
        }

        @Override
        public synchronized boolean divert(String key, double value, long step) {
            if (key.startsWith(PREFIX)) {
                start();
                spool.metric(key.substring(PREFIX.length()), value, step);
                return true;
            }
            if (training && !key.startsWith(SAMPLED)) {
                end("FINISHED", null);
            }
            return false;
        }

        private void start() {
            if (training) {
                return;
            }
            Path directory = jobDirectory.resolve(TEACHER_DIRECTORY);
            if (spool == null) {
                createDirectories(directory);
                spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
                if (existingRun(spool).isEmpty()) {
                    Path parent = sweep == null ? jobDirectory : sweep.directory();
                    spool.run(SpoolRun.child(TrackingTags.teacherRunName(spec.teacher()), settings.experiment(),
                            relative(directory, parent)));
                    spool.params(teacherParams(spec.config()));
                }
                spool.tags(TrackingTags.teacherTags(spec, gitCommit));
            }
            spool.status("RUNNING", null);
            training = true;
            running.add(spool);
            register(directory);
        }

        private void end(String status, String reason) {
            spool.status(status, reason);
            training = false;
            running.remove(spool);
            wakeUp();
        }

        /** Ends a run still going with the job's status, and closes its spool. */
        synchronized void close(String jobStatus) {
            if (spool == null) {
                return;
            }
            if (training && "RUNNING".equals(spool.lastStatus())) {
                if ("FINISHED".equals(jobStatus)) {
                    end("FINISHED", null);
                } else {
                    end("KILLED".equals(jobStatus) ? "KILLED" : "FAILED", String.format(
                            "job %d, which trained this teacher, ended %s before the teacher's training was over",
                            spec.number(), jobStatus == null || "RUNNING".equals(jobStatus) ? "abruptly" : jobStatus));
                }
            }
            running.remove(spool);
            spool.close();
        }
    }

    /** What makes a teacher: its section and its training's, flattened, as its run's params. */
    private static Map<String, String> teacherParams(Config config) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String section : List.of("teacher", "teacher-training")) {
            if (config.hasPath(section)) {
                params.putAll(ConfigText.flatten(config.withOnlyPath(section)));
            }
        }
        return params;
    }
}
