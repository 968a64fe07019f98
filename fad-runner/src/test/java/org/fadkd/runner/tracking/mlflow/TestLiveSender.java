package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.fadkd.runner.tracking.SpoolRun;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestLiveSender {
    private static final Duration FAST = Duration.ofMillis(50);

    @TempDir
    Path directory;

    @Test
    void testServerGoingAwayMidRunLosesNothingAndWarnsOnce() throws InterruptedException {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start();
                TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
            TrackingSettings settings = TestingSweeps.remote(server, Map.of());
            LiveSender sender = new LiveSender(settings, warnings::add, FAST, FAST, Duration.ofMillis(200));
            spool.run(SpoolRun.job("kd_resnet-to-cnn-s_seed1", "study"));
            spool.status("RUNNING", null);
            sender.register(directory);
            spool.metric("train/loss", 1.0, 0);
            awaitTrue(() -> pointsOnServer(server) == 1);

            server.stop();
            for (int epoch = 1; epoch < 6; epoch++) {
                spool.metric("train/loss", 1.0 / (epoch + 1), epoch);
                sender.wakeUp();
                Thread.sleep(60);
            }
            awaitTrue(sender::hasWarnedUnreachable);
            server.restart();
            spool.metric("train/loss", 0.1, 6);
            spool.status("FINISHED", null);

            assertThat(sender.close(Duration.ofSeconds(20))).isTrue();
            assertThat(warnings).singleElement().asString()
                    .contains("unreachable").contains(server.uri()).contains("runner sync");
            TestingMlflowServer.Run run = server.runs().get(0);
            assertThat(run.history("train/loss")).extracting(TestingMlflowServer.Point::step)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(run.status).isEqualTo("FINISHED");
        }
    }

    @Test
    void testServerUnreachableFromTheStartLeavesEverythingForSync() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        TestingMlflowServer server = TestingMlflowServer.start();
        server.stop();
        TrackingSettings settings = TestingSweeps.remote(server, Map.of());
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
            LiveSender sender = new LiveSender(settings, warnings::add, FAST, FAST, FAST);
            spool.run(SpoolRun.job("kd_resnet-to-cnn-s_seed1", "study"));
            sender.register(directory);
            spool.metric("train/loss", 1.0, 0);
            spool.status("FINISHED", null);

            assertThat(sender.close(Duration.ofSeconds(5))).isFalse();
        }
        assertThat(warnings).hasSize(1);

        server.restart();
        MlflowSync.Report report = new MlflowSync(settings, null, warnings::add).sync(List.of(directory));

        assertThat(report.failures()).isZero();
        assertThat(server.runs()).singleElement().satisfies(run -> {
            assertThat(run.history("train/loss")).hasSize(1);
            assertThat(run.status).isEqualTo("FINISHED");
        });
        server.close();
    }

    @Test
    void testKillMarksTheRunningRunsKilledAndSendsThem() throws java.io.IOException {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TrackingSession session = TrackingSession.start(TestingSweeps.remote(server, Map.of()), directory, warnings::add);
            TrackingSession.Sweep sweep = session.sweepStarted(directory, List.of("method=kd"), 1);
            Path job = java.nio.file.Files.createDirectories(directory.resolve("0"));
            TrackingSpool spool = new TrackingSpool(job.resolve(TrackingSpool.FILE_NAME));
            session.jobStarted(spool, job, TestingSweeps.spec(0, "kd", 1), sweep);
            spool.status("RUNNING", null);
            spool.metric("train/loss", 0.5, 0);

            session.killed("the runner was stopped (Ctrl-C or SIGTERM)");

            assertThat(warnings).isEmpty();
            assertThat(server.runs()).hasSize(2).allSatisfy(run -> {
                assertThat(run.status).isEqualTo("KILLED");
                assertThat(run.tags).containsEntry(SpoolReplay.STATUS_REASON_TAG, "the runner was stopped (Ctrl-C or SIGTERM)");
            });
            assertThat(server.runs().get(1).tags).containsEntry("mlflow.parentRunId", server.runs().get(0).id);
            spool.close();
        }
    }

    @Test
    void testMuteServerDoesNotHoldUpTheRunAndItsEndSaysToRunSync() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TrackingSession session = TrackingSession.start(TestingSweeps.impatient(server), directory, warnings::add);
            TrackingSession.Sweep sweep = session.sweepStarted(directory, List.of("method=kd"), 1);
            Path job = java.nio.file.Files.createDirectories(directory.resolve("0"));
            TrackingSpool spool = new TrackingSpool(job.resolve(TrackingSpool.FILE_NAME));
            TrackingSession.Job tracked = session.jobStarted(spool, job, TestingSweeps.spec(0, "kd", 1), sweep);
            spool.status("RUNNING", null);
            spool.metric("train/loss", 1.0, 0);
            session.wakeUp();
            awaitTrue(() -> pointsOnServer(server) == 1);

            // The server hangs: it accepts every connection and never answers.
            server.mute();
            long start = System.nanoTime();
            for (int epoch = 1; epoch < 4; epoch++) {
                spool.metric("train/loss", 1.0 / (epoch + 1), epoch);
                session.wakeUp();
            }
            awaitTrue(() -> !warnings.isEmpty());
            spool.status("FINISHED", null);
            tracked.close();
            spool.close();
            sweep.finished(List.of());
            session.close();
            double seconds = (System.nanoTime() - start) / 1e9;

            // Training never waited, and the end of the run did not wait for the server either.
            assertThat(seconds).isLessThan(5.0);
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).startsWith("MLflow at " + server.uri() + " did not answer within 0.3 s (trying to")
                    .contains("Training goes on", "runner sync");
            assertThat(warnings.get(1)).contains("Not every tracking event reached MLflow at " + server.uri(),
                    "runner sync " + directory.toAbsolutePath().normalize());
            assertThat(server.mutedRequests()).isPositive();

            server.unmute();
            MlflowSync.Report report = new MlflowSync(TestingSweeps.impatient(server), null, warnings::add)
                    .sync(List.of(directory));

            assertThat(report.failures()).as(report.render()).isZero();
            assertThat(server.runs()).hasSize(2).allSatisfy(run -> assertThat(run.status).isEqualTo("FINISHED"));
            assertThat(server.runs().get(1).history("train/loss")).extracting(TestingMlflowServer.Point::step)
                    .containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void testMuteServerFromTheStart() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start();
                TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
            server.mute();
            LiveSender sender = new LiveSender(TestingSweeps.impatient(server), warnings::add, FAST, FAST, FAST);
            spool.run(SpoolRun.job("kd_resnet-to-cnn-s_seed1", "study"));
            sender.register(directory);
            spool.metric("train/loss", 1.0, 0);
            spool.status("FINISHED", null);

            long start = System.nanoTime();
            boolean sent = sender.close(Duration.ofSeconds(20));

            assertThat(sent).isFalse();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
            assertThat(server.runs()).isEmpty();
        }
        assertThat(warnings).singleElement().asString().contains("did not answer within 0.3 s");
    }

    @Test
    void testUserAndPasswordInTheTrackingUriAuthenticateLiveAndAreWrittenNowhere() throws Exception {
        String password = "s3cret-in-the-uri";
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            server.requireBasicAuthentication("ada", password);
            TrackingSettings settings = TestingSweeps.remote(server.uriWithUserInfo("ada", password), Map.of(), "");
            TrackingSession session = TrackingSession.start(settings, directory, warnings::add);
            Path job = java.nio.file.Files.createDirectories(directory.resolve("0"));
            org.fadkd.runner.results.JobSpec spec = new org.fadkd.runner.results.JobSpec("study", 0,
                    List.of("method=kd", "tracking.uri=" + server.uriWithUserInfo("ada", password)),
                    com.typesafe.config.ConfigFactory.parseString("method.type = kd, teacher.type = resnet,"
                            + " student.type = cnn-s, seed = 1, tracking.uri = \"" + server.uriWithUserInfo("ada",
                            password) + "\""));
            TrackingSession.Sweep sweep = session.sweepStarted(directory, spec.overrides(), 1);
            try (TrackingSpool spool = new TrackingSpool(job.resolve(TrackingSpool.FILE_NAME));
                    TrackingSession.Job tracked = session.jobStarted(spool, job, spec, sweep)) {
                spool.params(org.fadkd.engine.job.ConfigText.flatten(spec.config()));
                spool.status("RUNNING", null);
                spool.metric("train/loss", 0.5, 0);
                spool.status("FAILED", "could not reach " + server.uriWithUserInfo("ada", password));
            }
            sweep.finished(List.of());
            session.close();

            assertThat(warnings).isEmpty();
            assertThat(server.runs()).hasSize(2);
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("ada:" + password).getBytes());
            assertThat(server.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.authorization()).isEqualTo(basic))
                    .allSatisfy(request -> assertThat(request.body()).doesNotContain(password));
            assertThat(TestMlflowSync.filesContaining(directory, password)).isEmpty();
            TestingMlflowServer.Run child = server.runs().get(1);
            assertThat(child.params).containsEntry("method", "kd").doesNotContainKey("tracking.uri");
            assertThat(child.tags).containsEntry("fad.overrides", "method=kd")
                    .containsEntry(SpoolReplay.STATUS_REASON_TAG, "could not reach http://***@127.0.0.1:"
                            + java.net.URI.create(server.uri()).getPort());
            assertThat(server.runs().get(0).params).containsOnlyKeys("method");
        }
    }

    @Test
    void testATeacherTrainedByAJobIsARunOfItsOwn() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TrackingSession session = TrackingSession.start(TestingSweeps.remote(server, Map.of()), directory,
                    warnings::add);
            TrackingSession.Sweep sweep = session.sweepStarted(directory, List.of("method=kd,fad"), 2);
            for (int number = 0; number < 2; number++) {
                Path job = java.nio.file.Files.createDirectories(directory.resolve(Integer.toString(number)));
                try (TrackingSpool spool = new TrackingSpool(job.resolve(TrackingSpool.FILE_NAME));
                        TrackingSession.Job tracked = session.jobStarted(spool, job,
                                TestingSweeps.spec(number, number == 0 ? "kd" : "fad", 1), sweep)) {
                    spool.status("RUNNING", null);
                    if (number == 0) {
                        // The first job trains the teacher, as the engine reports it; the sampler runs all along.
                        for (int epoch = 1; epoch <= 2; epoch++) {
                            spool.metric("teacher/train/loss", 2.0 / epoch, epoch);
                            spool.metric("system/process_rss_megabytes", 900, epoch - 1);
                            spool.metric("teacher/val/top1", 0.4 * epoch, epoch);
                        }
                    }
                    spool.metric("train/loss", 1.0, 1);
                    spool.status("FINISHED", null);
                }
            }
            sweep.finished(List.of());
            session.close();

            assertThat(warnings).isEmpty();
            TestingMlflowServer.Run parent = server.runs().get(0);
            TestingMlflowServer.Run teacher = TestingSweeps.run(server, "teacher_resnet").orElseThrow();
            assertThat(server.runs()).hasSize(4);
            assertThat(teacher.tags).containsEntry("mlflow.parentRunId", parent.id).containsEntry("fad.kind", "teacher")
                    .containsEntry("fad.teacher", "resnet").containsEntry("fad.trained_in_job", "0")
                    .containsEntry("fad.experiment-file", "study");
            assertThat(teacher.params).containsEntry("teacher.type", "resnet");
            assertThat(teacher.history("train/loss")).extracting(TestingMlflowServer.Point::step)
                    .containsExactly(1L, 2L);
            assertThat(teacher.history("val/top1")).hasSize(2);
            assertThat(teacher.status).isEqualTo("FINISHED");
            for (String name : List.of("kd_resnet-to-cnn-s_seed1", "fad_resnet-to-cnn-s_seed1")) {
                TestingMlflowServer.Run job = TestingSweeps.run(server, name).orElseThrow();
                // Both jobs hold the same metric keys, whichever trained the teacher.
                assertThat(job.points).extracting(TestingMlflowServer.Point::key).doesNotContain("teacher/train/loss")
                        .noneMatch(key -> key.startsWith("teacher/"));
                assertThat(job.history("train/loss")).hasSize(1);
                assertThat(job.tags).containsEntry("mlflow.parentRunId", parent.id);
            }
            assertThat(TestingSweeps.run(server, "kd_resnet-to-cnn-s_seed1").orElseThrow()
                    .history("system/process_rss_megabytes")).hasSize(2);
            assertThat(directory.resolve("0/teacher/tracking.jsonl")).isRegularFile();
            assertThat(directory.resolve("1/teacher")).doesNotExist();
        }
    }

    @Test
    void testATeacherWhoseJobFailedDuringItsTrainingFails() throws Exception {
        TrackingSession session = TrackingSession.start(TestingSweeps.local(), directory, message -> {});
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
                TrackingSession.Job tracked = session.jobStarted(spool, directory, TestingSweeps.spec(0, "kd", 1),
                        null)) {
            spool.status("RUNNING", null);
            spool.metric("teacher/train/loss", 2.0, 1);
            spool.status("FAILED", "out of memory");
        }
        session.close();

        List<String> teacher = java.nio.file.Files.readAllLines(directory.resolve("teacher/tracking.jsonl"));
        assertThat(teacher.get(0)).contains("\"type\":\"run\"", "teacher_resnet", "\"parent\":\"..\"");
        assertThat(teacher).anyMatch(line -> line.contains("\"key\":\"train/loss\""));
        assertThat(teacher.get(teacher.size() - 1)).contains("\"status\":\"FAILED\"",
                "job 0, which trained this teacher, ended FAILED before the teacher's training was over");
    }

    private static int pointsOnServer(TestingMlflowServer server) {
        return server.runs().stream().mapToInt(run -> run.points.size()).sum();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
