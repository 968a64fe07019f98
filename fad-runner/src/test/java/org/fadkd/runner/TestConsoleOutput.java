package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a terminal (a log, CI) a run prints its lines, not carriage-return redraws of progress bars. */
class TestConsoleOutput {
    @Test
    void testWithoutATerminalARunPrintsEpochLinesAndNoProgressBars(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        TestingCommandLine.Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep", "method=fad", "teacher-training.epochs=1", "trainer.epochs=1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("teacher epoch 1: loss", "job 1/1 fad distill epoch 1: loss",
                "Computed the teacher flow profile").doesNotContain("\r");
    }
}
