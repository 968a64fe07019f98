package org.fadkd.runner.tracking.mlflow;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.job.JobRunner;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * Writes run and sweep directories the way the runner does, through a local-only
 * {@link TrackingSession}: spools with run lines, params, per-epoch metrics, tags, artifacts,
 * summaries and statuses, and the files the artifacts name.
 */
final class TestingSweeps {
    static final int EPOCHS = 3;

    private TestingSweeps() {}

    /** Settings of a local-only session (no URI), experiment "study". */
    static TrackingSettings local() {
        return TrackingSettings.from(ConfigFactory.empty(), Map.of(), "study");
    }

    /** Settings for the server, with the environment given. */
    static TrackingSettings remote(TestingMlflowServer server, Map<String, String> environment) {
        return remote(server.uri(), environment, "");
    }

    /** Settings for a tracking URI, with the environment given and more of the {@code tracking} section (HOCON). */
    static TrackingSettings remote(String uri, Map<String, String> environment, String tracking) {
        return TrackingSettings.from(ConfigFactory.parseString("tracking { uri = \"" + uri + "\"\n" + tracking + "}"),
                environment, "study");
    }

    /** Settings for the server that give up on it after a fraction of a second: for a mute server. */
    static TrackingSettings impatient(TestingMlflowServer server) {
        return remote(server.uri(), Map.of(), "connect-timeout-s = 0.3, request-timeout-s = 0.3");
    }

    static JobSpec spec(int number, String method, int seed) {
        return new JobSpec("study", number, List.of("method=" + method, "seed=" + seed), ConfigFactory.parseString(
                "method.type = " + method + ", teacher.type = resnet, student.type = cnn-s, seed = " + seed
                        + ", trainer.learning-rate = 0.1, tracking.uri = \"http://user:hunter22@example.invalid\""));
    }

    /** A sweep of methods x seeds in {@code directory}: the parent spool and one directory per job. */
    static List<JobResult> writeSweep(Path directory, List<String> methods, int seeds) {
        List<JobResult> results = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (TrackingSession session = TrackingSession.start(local(), directory, warnings::add)) {
            TrackingSession.Sweep sweep = session.sweepStarted(directory,
                    List.of("method=" + String.join(",", methods), "seed=range(1," + (seeds + 1) + ")"),
                    methods.size() * seeds);
            int number = 0;
            for (String method : methods) {
                for (int seed = 1; seed <= seeds; seed++) {
                    JobSpec spec = spec(number, method, seed);
                    results.add(writeJob(session, sweep, spec, directory.resolve(Integer.toString(number)), 0.5 + 0.1 * seed));
                    number++;
                }
            }
            sweep.finished(results);
        }
        if (!warnings.isEmpty()) {
            throw new IllegalStateException("a local session warned: " + warnings);
        }
        return results;
    }

    /** One finished job with {@link #EPOCHS} epochs of metrics. */
    static JobResult writeJob(TrackingSession session, TrackingSession.Sweep sweep, JobSpec spec, Path directory,
            double best) {
        try {
            Files.createDirectories(directory.resolve("student"));
            // As the job runner writes it: the resolved config, tracking.uri included.
            Files.writeString(directory.resolve("config.conf"), JobRunner.render(spec.config()));
            Files.writeString(directory.resolve("overrides.txt"), String.join("\n", spec.overrides()) + "\n");
            Files.write(directory.resolve("student/student-0003.params"), new byte[] {1, 2, 3, (byte) 0xff});
            Files.write(directory.resolve("flow_profiles.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", spec.experiment());
        summary.put("status", "FINISHED");
        summary.put("metrics", Map.of("best_top1", best, "final_top1", best - 0.01, "best_epoch", 2,
                "teacher_cached", true));
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
                TrackingSession.Job job = session.jobStarted(spool, directory, spec, sweep)) {
            spool.params(Map.of("method.type", spec.method(), "seed", Long.toString(spec.seed()),
                    "trainer.learning-rate", "0.1", "tracking.uri", spec.config().getString("tracking.uri")));
            spool.status("RUNNING", null);
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                spool.metric("train/loss", 1.0 / (epoch + 1), epoch);
                spool.metric("val/top1", best - 0.1 * (EPOCHS - 1 - epoch), epoch);
            }
            try {
                Files.writeString(directory.resolve("summary.json"), "{\"status\": \"FINISHED\"}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            spool.summary(summary);
            job.recordArtifacts();
            spool.status("FINISHED", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) summary.get("metrics");
        return new JobResult(spec, directory, org.fadkd.runner.job.TestingJobSummaries.of(spec, "FINISHED", metrics),
                true);
    }

    /** A single spool in {@code directory} with a run line and the given number of params and metrics. */
    static void writeLargeRun(Path directory, int params, int metrics) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TrackingSession session = TrackingSession.start(local(), directory, message -> {});
                TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
            TrackingSession.Job job = session.jobStarted(spool, directory, spec(0, "kd", 1), null);
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < params; i++) {
                values.put("group" + (i % 7) + ".key" + i, "value" + i);
            }
            spool.params(values);
            spool.status("RUNNING", null);
            for (int i = 0; i < metrics; i++) {
                spool.metric("train/loss", i, i);
            }
            spool.status("FINISHED", null);
            job.close();
        }
    }

    static Optional<TestingMlflowServer.Run> run(TestingMlflowServer server, String name) {
        return server.runsNamed(name).stream().findFirst();
    }
}
