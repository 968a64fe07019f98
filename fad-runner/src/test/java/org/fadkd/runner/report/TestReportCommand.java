package org.fadkd.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.run;
import static org.fadkd.runner.report.TestingSweeps.basicMetrics;
import static org.fadkd.runner.report.TestingSweeps.writeJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner report} as a user runs it. */
final class TestReportCommand {
    @Test
    void testWritesReportHtmlIntoTheFirstDirectoryAndPrintsItsPath(@TempDir Path root) throws IOException {
        Path sweep = root.resolve("multirun/2026-01-01/10-00-00");
        writeJob(sweep, 0, "kd", 1, "FINISHED", basicMetrics(0.85, 0.84));
        writeJob(sweep, 1, "kd", 2, "FINISHED", basicMetrics(0.87, 0.86));

        Run run = run(root, "report", sweep.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path report = sweep.toAbsolutePath().resolve("report.html");
        assertThat(run.out()).isEqualTo("Report of 2 jobs: " + report + System.lineSeparator());
        assertThat(Files.readString(report)).contains("method=kd</td><td>cnn</td><td>2</td><td>86.00 ± 1.41</td>");
    }

    @Test
    void testOutputOptionAndSeveralDirectories(@TempDir Path root) throws IOException {
        Path first = root.resolve("a");
        Path second = root.resolve("b");
        writeJob(first, 0, "kd", 1, "FINISHED", basicMetrics(0.85, 0.84));
        writeJob(second, 0, "fad", 1, "FINISHED", basicMetrics(0.88, 0.88));
        Path output = root.resolve("reports/study.html");

        Run run = run(root, "report", first.toString(), second.toString(), "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Report of 2 jobs: " + output.toAbsolutePath());
        assertThat(Files.readString(output)).contains("method=kd</td>", "method=fad</td>");
        assertThat(first.resolve("report.html")).doesNotExist();
    }

    @Test
    void testAMissingDirectoryExitsTwoNamingIt(@TempDir Path root) {
        Path missing = root.resolve("multirun/nothing-here");

        Run run = run(root, "report", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Error: '" + missing + "' is not a directory. Name a run or sweep directory,"
                + " e.g. multirun/<date>/<time>." + System.lineSeparator());
    }

    @Test
    void testADirectoryWithoutAnySummaryExitsTwoNamingIt(@TempDir Path root) throws IOException {
        Path good = root.resolve("good");
        writeJob(good, 0, "kd", 1, "FINISHED", basicMetrics(0.85, 0.84));
        Path empty = Files.createDirectories(root.resolve("empty/0"));
        Files.writeString(empty.resolve("config.conf"), "seed = 1\n");

        Run run = run(root, "report", good.toString(), empty.getParent().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: '" + empty.getParent() + "' holds no job results:");
        assertThat(good.resolve("report.html")).doesNotExist();
    }

    @Test
    void testNoDirectoryIsAUsageError(@TempDir Path root) {
        Run run = run(root, "report");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter", "DIR");
    }
}
