package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.runner.TestingCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner sync} on a sweep whose jobs ran in worker processes ({@code launcher.jobs = 2}):
 * the same runs reach the server as from an in-process sweep, each once.
 */
final class TestLauncherSync {
    @TempDir
    Path project;

    @Test
    void testSyncSendsAWorkerRunSweepOnceAsAParentWithItsChildren() throws IOException {
        TestingCommandLine.tinySweepProject(project, "");
        Path sweep = project.resolve("sweeps/pool");
        TestingCommandLine.Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep", "trainer.epochs=1", "launcher.jobs=2", "sweep.dir=sweeps/pool");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();

        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TestingCommandLine.Run sync = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                    "sync", "--tracking-uri", server.uri(), sweep.toString());
            assertThat(sync.exitCode()).as(sync.err() + sync.out()).isZero();
            TestingMlflowServer.Run parent = server.runs().stream().filter(r -> r.name.startsWith("sweep_"))
                    .findFirst().orElseThrow();
            assertThat(parent.status).isEqualTo("FINISHED");
            for (String method : List.of("kd", "fad")) {
                TestingMlflowServer.Run child = TestingSweeps.run(server, method + "_resnet-to-cnn_seed3").orElseThrow();
                assertThat(child.tags).containsEntry("mlflow.parentRunId", parent.id);
                assertThat(child.status).isEqualTo("FINISHED");
                assertThat(child.history("train/loss")).hasSize(1);
            }
            int runs = server.runs().size();
            TestingCommandLine.Run again = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                    "sync", "--tracking-uri", server.uri(), sweep.toString());
            assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
            assertThat(server.runs()).hasSize(runs);
        }
    }
}
