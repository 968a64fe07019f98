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
