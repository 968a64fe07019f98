package org.fadkd.runner.job;

import org.fadkd.runner.tracking.Redaction;
import org.fadkd.runner.results.JobResult;

import org.fadkd.runner.results.JobSpec;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.job.ConfigText;
import org.fadkd.engine.job.DistillationJob;
import org.fadkd.engine.job.JobListener;
import org.fadkd.engine.job.JobSession;
import org.fadkd.engine.job.JobSettings;
import org.fadkd.engine.job.JobSummary;
import org.fadkd.engine.job.StudentSelector;
import org.fadkd.engine.train.StopRequest;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.engine.util.Json;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.runner.results.JobDirectory;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * Runs one job of a run or sweep in its directory: writes {@code config.conf} and {@code
 * overrides.txt}, runs the engine's {@link DistillationJob} with the spool (and through it
 * tracking) as its listener, and records how it ended: {@code summary.json}, {@code error.txt} for
 * a failure, the run's status and artifacts. What a job computes is the engine's; this class owns
 * only the job directory and tracking.
 */
public final class JobRunner {
    private static final String ERROR_FILE = "error.txt";

    private final JobSession session;
    private final ProjectLayout layout;

    public JobRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.layout = requireNonNull(layout, "layout is null");
        this.session = new JobSession(binder, layout.cacheDir(), layout.dataSearchPath(), console);
    }

    /** What the jobs of this runner share (datasets, teacher measurements). */
    public JobSession session() {
        return session;
    }

    /**
     * Runs a job in its directory, which holds its {@link #writeJobFiles job files}; failures are
     * recorded in the directory and returned, not thrown. A directory that cannot be written (a
     * full disk, a read-only file system) fails this job only: the result says why in plain words.
     *
     * @param tracking where the job's run is logged besides its spool
     * @param parent the job's sweep, or null for a job run on its own
     * @param resume whether the job continues from its checkpoints ({@code --resume})
     */
    public JobResult run(JobSpec spec, int jobCount, Path directory, TrackingSession tracking,
            TrackingSession.Sweep parent, boolean resume) {
        try {
            return runIn(spec, jobCount, directory, tracking, parent, resume);
        } catch (UncheckedIOException e) {
            return unwritable(spec, directory, e);
        }
    }

    private JobResult runIn(JobSpec spec, int jobCount, Path directory, TrackingSession tracking,
            TrackingSession.Sweep parent, boolean resume) {
        Config config = spec.config();
        boolean selects = JobSettings.from(config).selects();
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
                TrackingSession.Job tracked = tracking.jobStarted(spool, directory, spec, parent)) {
            // A selecting job logs its student's params once the winner is known: MLflow params cannot change.
            spool.params(flatten(selects ? config.withoutPath("student") : config));
            spool.status("RUNNING", null);
            StudentSelector selector = (components, teacher) -> new SelectionStep(layout, session.console())
                    .select(components, teacher, spool, directory, tracking).winner();
            DistillationJob.Outcome outcome = new DistillationJob(session, new DistillationJob.JobDefinition(
                    spec.experiment(), spec.number(), jobCount, config, directory, spec.configHash(), resume),
                    listener(spool), selector).run();
            JobSummary summary = outcome.summary();
            spool.summary(summary.toJson());
            if (outcome.failure() == null) {
                deleteCheckpoints(directory);
            } else {
                FileTrees.writeAtomically(directory.resolve(ERROR_FILE), stackTrace(outcome.failure()));
            }
            // summary.json before the final status, so that it is among the run's artifacts.
            writeSummary(directory, summary);
            tracked.recordArtifacts();
            // A job stopped by a signal is KILLED for MLflow, like a run the tracking hook marks.
            spool.status(outcome.failure() instanceof StopRequest.TrainingStoppedException ? "KILLED" : summary.status(),
                    summary.error());
            return new JobResult(spec, directory, summary, outcome.teacherCached());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The result of a job whose directory could not be written: FAILED with the system's reason,
     * its summary and error written where they still can be (atomically: never a torn file).
     */
    private JobResult unwritable(JobSpec spec, Path directory, UncheckedIOException error) {
        String cause = "cannot write the job's files: " + IoFailures.describe(error);
        JobSummary summary = new JobSummary(spec.experiment(), spec.number(), spec.method(), spec.teacher(),
                spec.student(), spec.seed(), null, JobSummary.FAILED, cause, Map.of(), Map.of(), Map.of());
        try {
            FileTrees.writeAtomically(directory.resolve(ERROR_FILE), stackTrace(error));
            writeSummary(directory, summary);
        } catch (IOException | RuntimeException ignored) {
            // The directory cannot take them; the console and the sweep's table say why.
        }
        return new JobResult(spec, directory, summary, false);
    }

    /** The engine's events, into the job's spool. */
    private static JobListener listener(TrackingSpool spool) {
        return new JobListener() {
            @Override
            public void metric(String key, double value, long step) {
                spool.metric(key, value, step);
            }

            @Override
            public void params(Map<String, String> params) {
                spool.params(params);
            }

            @Override
            public void tags(Map<String, String> tags) {
                spool.tags(tags);
            }
        };
    }

    /**
     * Creates the job's directory with what defines the job: {@code config.conf} and {@code
     * overrides.txt}. A sweep writes every job's before the first trains, so that a resume finds
     * the jobs that had not started.
     *
     * @throws FadException with OUTPUT_UNWRITABLE naming the directory and the system's reason
     */
    public static void writeJobFiles(JobSpec spec, Path directory) {
        try {
            Files.createDirectories(directory);
            // A password in tracking.uri is never written: a resume takes it from the environment.
            FileTrees.writeAtomically(directory.resolve(JobDirectory.CONFIG_FILE), Redaction.redact(render(spec.config())));
            FileTrees.writeAtomically(directory.resolve("overrides.txt"), spec.overrides().isEmpty()
                    ? "" : Redaction.redact(String.join("\n", spec.overrides())) + "\n");
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format(
                    "Cannot write job %d's files in '%s': %s", spec.number(), directory, IoFailures.describe(e)), e);
        }
    }

    /** Removes the checkpoints of a finished job: the final weights are in {@code student/}. */
    private void deleteCheckpoints(Path directory) {
        try {
            DistillationJob.deleteCheckpoints(directory);
        } catch (IOException e) {
            session.console().printf("Could not delete the checkpoint in %s: %s%n", directory, e.getMessage());
        }
    }

    /** Renders a config as HOCON without origin comments, keys sorted: stable for hashing and diffing. */
    public static String render(Config config) {
        return ConfigText.render(config);
    }

    static Map<String, String> flatten(Config config) {
        return ConfigText.flatten(config);
    }

    private static void writeSummary(Path directory, JobSummary summary) throws IOException {
        FileTrees.writeAtomically(directory.resolve(JobDirectory.SUMMARY_FILE),
                Json.MAPPER.writeValueAsString(summary.toJson()));
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
