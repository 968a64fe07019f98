package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.REPOSITORY_CONFIGS;

import org.fadkd.runner.config.ProjectLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values out of range are configuration errors like unknown keys: {@code runner validate} and the
 * start of every run report them all at once, with their key, value, origin and range, and exit 2
 * before anything trains.
 */
final class TestSettingsValidation {
    private static final Path REPOSITORY_EXPERIMENTS = Path.of("..", "experiments").toAbsolutePath().normalize();

    /** The repository's configs and experiments; data, cache and outputs in {@code root}. */
    private static ProjectLayout repository(Path root) {
        return new ProjectLayout(List.of(REPOSITORY_CONFIGS), List.of(REPOSITORY_EXPERIMENTS),
                List.of(root.resolve("data")), root.resolve("cache"), root);
    }

    @Test
    void testValidateRejectsAValueOutOfRangeNamingKeyOverrideAndRange(@TempDir Path root) {
        Run run = TestingCommandLine.run(repository(root),
                "validate", "--experiment", "fashion_mnist_quickstart", "method=kd", "method.temperature=-1");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Error: Setting 'method.temperature' of method 'kd' is '-1'"
                + " (at override 'method.temperature=-1'); it must be a number in (0, inf).\n");
        assertThat(run.out()).doesNotContain("is valid");
    }

    @Test
    void testSeveralValuesOutOfRangeInDifferentComponentsAreReportedAtOnceNumbered(@TempDir Path root) {
        Run run = TestingCommandLine.run(repository(root), "validate", "--experiment", "fashion_mnist_quickstart",
                "method=kd", "method.alpha=7", "student.widths=[0,-1,4]", "method.temperature=-1");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("""
                Error: Invalid configuration:

                1) Setting 'student.widths' of architecture 'cnn' is '[0,-1,4]' (at override 'student.widths=[0,-1,4]'); \
                it must be a list of widths, each at least 1.

                2) Setting 'method.temperature' of method 'kd' is '-1' (at override 'method.temperature=-1'); \
                it must be a number in (0, inf).

                3) Setting 'method.alpha' of method 'kd' is '7' (at override 'method.alpha=7'); \
                it must be a number in [0, 1].

                3 errors
                """);
    }

    /** A value from the experiment file names the file and line; a nested component names its path. */
    @Test
    void testAValueInAFileNamesTheFileAndANestedComponentItsPath(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root,
                "method.kd-term { type = kd, temperature = 0 }\nsweep.method = [fad]");
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "tiny_sweep", "method.points=1");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        Path experiment = project.resolve("experiments/tiny_sweep.conf");
        int line = Files.readAllLines(experiment).indexOf("method.kd-term { type = kd, temperature = 0 }") + 1;
        assertThat(run.err()).contains(
                "1) Setting 'method.points' of method 'fad' is '1' (at override 'method.points=1');"
                        + " it must be an integer in [2, 1000000].",
                "2) Setting 'method.kd-term.temperature' of method 'kd' is '0' (at " + experiment + ": " + line + ");"
                        + " it must be a number in (0, inf).",
                "2 errors");
    }

    @Test
    void testARunStopsBeforeTrainingWhenAValueIsOutOfRange(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep", "method=kd", "method.temperature=-1");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).contains("Setting 'method.temperature' of method 'kd' is '-1'"
                + " (at override 'method.temperature=-1'); it must be a number in (0, inf).");
        assertNothingRan(project, run);
    }

    /** Every job of a sweep is validated before the first trains: a bad second job stops the first. */
    @Test
    void testASweepStopsBeforeItsFirstJobWhenALaterJobHasAValueOutOfRange(@TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep", "-m", "method=kd", "method.temperature=4,-1");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).contains("Job 1 [method=kd, method.temperature=-1]: Setting 'method.temperature'"
                + " of method 'kd' is '-1' (at override 'method.temperature=-1'); it must be a number in (0, inf).");
        assertNothingRan(project, run);
    }

    /** No job directory, no summary (FAILED or otherwise), no teacher trained. */
    private static void assertNothingRan(Path project, Run run) throws IOException {
        assertThat(run.out()).doesNotContain("Training", "== Job");
        assertThat(project.resolve("outputs")).doesNotExist();
        assertThat(project.resolve("multirun")).doesNotExist();
        try (Stream<Path> files = Files.walk(project)) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .doesNotContain("summary.json", "config.conf", "error.txt");
        }
    }
}
