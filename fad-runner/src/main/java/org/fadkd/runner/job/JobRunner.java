package org.fadkd.runner.job;

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
import org.fadkd.engine.util.Json;
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
     * Runs a job; failures are recorded in its directory and returned, not thrown.
     *
     * @param tracking where the job's run is logged besides its spool
     * @param parent the job's sweep, or null for a job run on its own
     */
    public JobResult run(JobSpec spec, int jobCount, Path directory, TrackingSession tracking,
            TrackingSession.Sweep parent) {
        writeJobFiles(spec, directory);
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
                    spec.experiment(), spec.number(), jobCount, config, directory), listener(spool), selector).run();
            JobSummary summary = outcome.summary();
            spool.summary(summary.toJson());
            if (outcome.failure() == null) {
                deleteCheckpoints(directory);
            } else {
                writeQuietly(directory.resolve("error.txt"), stackTrace(outcome.failure()));
            }
            // summary.json before the final status, so that it is among the run's artifacts.
            writeSummary(directory, summary);
            tracked.recordArtifacts();
            spool.status(summary.status(), summary.error());
            return new JobResult(spec, directory, summary, outcome.teacherCached());
        }
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

    /** Creates the job's directory with what defines the job: {@code config.conf} and {@code overrides.txt}. */
    static void writeJobFiles(JobSpec spec, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.conf"), render(spec.config()));
            Files.writeString(directory.resolve("overrides.txt"),
                    spec.overrides().isEmpty() ? "" : String.join("\n", spec.overrides()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job directory " + directory, e);
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

    private static void writeSummary(Path directory, JobSummary summary) {
        try {
            Json.MAPPER.writeValue(directory.resolve("summary.json").toFile(), summary.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write summary.json in " + directory, e);
        }
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ignored) {
            // the failure itself is already in summary.json and the spool
        }
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
