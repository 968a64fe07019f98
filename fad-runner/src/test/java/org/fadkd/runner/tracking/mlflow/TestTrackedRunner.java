package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fadkd.runner.TestingCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as a user runs it with {@code tracking.uri} set: a real (tiny) sweep trained by the
 * runner, logged live to the in-process MLflow server, then the same with the server away and
 * {@code runner sync} afterwards.
 */
final class TestTrackedRunner {
    @TempDir
    Path project;

    @Test
    void testSweepIsLoggedLiveAsAParentRunWithOneChildPerJob() throws IOException {
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TestingCommandLine.Run run = runner("--experiment", "tiny_sweep", "tracking.uri=" + server.uri());

            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).contains("Tracking to MLflow at " + server.uri() + ", experiment 'tiny_sweep'")
                    .doesNotContain("WARNING");
            List<TestingMlflowServer.Run> runs = server.runs();
            // The parent, both jobs, and the teacher the first job trained.
            assertThat(runs).hasSize(4);
            TestingMlflowServer.Run parent = runs.get(0);
            assertThat(parent.name).startsWith("sweep_").endsWith("_tiny_sweep");
            assertThat(parent.tags).containsEntry("fad.kind", "sweep").containsEntry("fad.jobs", "2")
                    .containsEntry("fad.experiment-file", "tiny_sweep");
            assertThat(parent.params).containsEntry("method", "kd,fad").doesNotContainKey("tracking.uri");
            // Per configuration, named by what varies (where the run is logged is not part of it), mean and
            // spread over its seeds (here one seed each).
            assertThat(parent.history("kd/n")).singleElement()
                    .extracting(TestingMlflowServer.Point::value).isEqualTo(1.0);
            assertThat(parent.history("fad/best_top1_mean")).hasSize(1);
            assertThat(parent.status).isEqualTo("FINISHED");

            TestingMlflowServer.Run teacher = TestingSweeps.run(server, "teacher_resnet").orElseThrow();
            assertThat(teacher.tags).containsEntry("mlflow.parentRunId", parent.id).containsEntry("fad.kind", "teacher")
                    .containsEntry("fad.trained_in_job", "0");
            assertThat(teacher.history("train/loss")).hasSize(2);
            assertThat(teacher.status).isEqualTo("FINISHED");

            for (String method : List.of("kd", "fad")) {
                TestingMlflowServer.Run child = TestingSweeps.run(server, method + "_resnet-to-cnn_seed3").orElseThrow();
                assertThat(child.tags).containsEntry("mlflow.parentRunId", parent.id)
                        .containsEntry("fad.method", method)
                        .containsEntry("fad.experiment-file", "tiny_sweep")
                        .containsEntry("fad.overrides", "method=" + method);
                assertThat(child.params).containsEntry("method", method).containsEntry("method.type", method)
                        .containsEntry("seed", "3").doesNotContainKey("tracking.uri");
                assertThat(child.points).noneMatch(point -> point.key().startsWith("teacher/"));
                assertThat(child.history("train/loss")).extracting(TestingMlflowServer.Point::step)
                        .containsExactly(1L, 2L);
                assertThat(child.history("val/top1")).hasSize(2);
                assertThat(child.history("best_top1")).hasSize(1);
                assertThat(child.history("student_params")).singleElement()
                        .extracting(TestingMlflowServer.Point::value).isNotEqualTo(0.0);
                assertThat(child.points).anyMatch(point -> point.key().startsWith("system/"));
                assertThat(child.status).isEqualTo("FINISHED");
                String root = child.experimentId + "/" + child.id + "/artifacts/";
                assertThat(server.artifacts().keySet().stream().filter(path -> path.startsWith(root)))
                        .contains(root + "config.conf", root + "overrides.txt", root + "summary.json",
                                root + "student/model.json", root + "plots/flow_profiles.png");
            }
        }
    }

    @Test
    void testServerAwayAtStartLosesNothingAndSyncSendsItOnce() throws IOException {
        TestingMlflowServer server = TestingMlflowServer.start();
        server.stop();
        try (server) {
            TestingCommandLine.Run away = runner("--experiment", "tiny_sweep", "tracking.uri=" + server.uri(),
                    "method=kd");

            // Training does not depend on the server: it finishes, and a warning says what to do.
            assertThat(away.exitCode()).as(away.err() + away.out()).isZero();
            Path runDirectory = jobDirectory("summary.json");
            assertThat(away.out()).contains("WARNING", "unreachable", "runner sync " + runDirectory);
            assertThat(server.runs()).isEmpty();

            server.restart();
            TestingCommandLine.Run sync = runner("sync", "--tracking-uri", server.uri(), runDirectory.toString());
            assertThat(sync.exitCode()).as(sync.err() + sync.out()).isZero();
            // The job and the teacher it trained.
            assertThat(server.runs()).hasSize(2);
            TestingMlflowServer.Run run = TestingSweeps.run(server, "kd_resnet-to-cnn_seed3").orElseThrow();
            assertThat(run.status).isEqualTo("FINISHED");
            assertThat(run.history("train/loss")).hasSize(2);
            Map<String, Integer> pointsAfterFirstSync = pointCounts(run);

            TestingCommandLine.Run again = runner("sync", "--tracking-uri", server.uri(), runDirectory.toString());
            assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
            assertThat(server.runs()).hasSize(2);
            assertThat(pointCounts(TestingSweeps.run(server, "kd_resnet-to-cnn_seed3").orElseThrow()))
                    .isEqualTo(pointsAfterFirstSync);

            // Without --tracking-uri (the end-of-run hint's command) sync uses the server the run recorded.
            TestingCommandLine.Run recorded = runner("sync", runDirectory.toString());
            assertThat(recorded.exitCode()).as(recorded.err() + recorded.out()).isZero();
            assertThat(recorded.out()).contains("MLflow at " + server.uri(), "recorded in the runs' config.conf");
            assertThat(server.runs()).hasSize(2);
            assertThat(pointCounts(TestingSweeps.run(server, "kd_resnet-to-cnn_seed3").orElseThrow()))
                    .isEqualTo(pointsAfterFirstSync);
        }
    }

    @Test
    void testResumedSweepTracksToTheServerAndRunsItTrackedToBefore() throws IOException {
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TestingCommandLine.Run first = runner("--experiment", "tiny_sweep", "tracking.uri=" + server.uri(),
                    "trainer.epochs=1", "teacher-training.epochs=1");
            assertThat(first.exitCode()).as(first.err() + first.out()).isZero();
            List<String> runIds = server.runs().stream().map(run -> run.id).toList();
            Path fad;
            try (Stream<Path> files = Files.walk(project.resolve("multirun"))) {
                fad = files.filter(path -> path.getFileName().toString().equals("1")).findFirst().orElseThrow();
            }
            // As if the process had died in job 1: it has no summary yet.
            Files.delete(fad.resolve("summary.json"));

            // No tracking.uri on the command line: the resume tracks where the jobs did.
            TestingCommandLine.Run resumed = runner("--experiment", "tiny_sweep", "--resume", fad.getParent().toString());
            assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
            assertThat(resumed.out()).contains("Tracking to MLflow at " + server.uri(), "2 jobs, 1 finished")
                    .doesNotContain("WARNING");
            // The same runs, no new ones: the parent, the teacher and both jobs.
            assertThat(server.runs()).extracting(run -> run.id).containsExactlyElementsOf(runIds);
            assertThat(TestingSweeps.run(server, "fad_resnet-to-cnn_seed3").orElseThrow().status).isEqualTo("FINISHED");
        }
    }

    private static Map<String, Integer> pointCounts(TestingMlflowServer.Run run) {
        return run.points.stream().collect(Collectors.groupingBy(TestingMlflowServer.Point::key,
                Collectors.reducing(0, point -> 1, Integer::sum)));
    }

    /** The directory of the only job that wrote {@code file}. */
    private Path jobDirectory(String file) throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("outputs"))) {
            return files.filter(path -> path.getFileName().toString().equals(file)).findFirst()
                    .orElseThrow().getParent();
        }
    }

    private TestingCommandLine.Run runner(String... args) throws IOException {
        TestingCommandLine.tinySweepProject(project, "tracking.system-metrics-interval-s = 0.2");
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args);
    }
}
