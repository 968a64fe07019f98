package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.REPOSITORY_CONFIGS;

import org.fadkd.runner.config.ProjectLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * Issue 17, item 7: each bad value inside a component section fails {@code runner validate} and
     * a run with exit 2 before anything trains, naming the key, the value, where it was set and
     * what is allowed.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            validate | method=kd  | method.temperature=-3   | Setting 'method.temperature' of method 'kd' is '-3' (at override 'method.temperature=-3'); it must be a number in (0, inf).
            validate | method=kd  | method.alpha=7          | Setting 'method.alpha' of method 'kd' is '7' (at override 'method.alpha=7'); it must be a number in [0, 1].
            validate | method=kd  | student.widths=[0,-1,4] | Setting 'student.widths' of architecture 'cnn' is '[0,-1,4]' (at override 'student.widths=[0,-1,4]'); it must be a list of widths, each at least 1.
            validate | method=fad | method.points=-5        | Setting 'method.points' of method 'fad' is '-5' (at override 'method.points=-5'); it must be an integer in [2, 1000000].
            validate | method=fad | method.flow-metric=cak  | In 'method.flow-metric' (override 'method.flow-metric=cak'): Unknown flow-metric type 'cak'. Known types: cka, gram, relative-change. Did you mean 'cka'?
            run      | method=kd  | method.temperature=-3   | Setting 'method.temperature' of method 'kd' is '-3' (at override 'method.temperature=-3'); it must be a number in (0, inf).
            run      | method=kd  | method.alpha=7          | Setting 'method.alpha' of method 'kd' is '7' (at override 'method.alpha=7'); it must be a number in [0, 1].
            run      | method=kd  | student.widths=[0,-1,4] | Setting 'student.widths' of architecture 'cnn' is '[0,-1,4]' (at override 'student.widths=[0,-1,4]'); it must be a list of widths, each at least 1.
            run      | method=fad | method.points=-5        | Setting 'method.points' of method 'fad' is '-5' (at override 'method.points=-5'); it must be an integer in [2, 1000000].
            run      | method=fad | method.flow-metric=cak  | In 'method.flow-metric' (override 'method.flow-metric=cak'): Unknown flow-metric type 'cak'. Known types: cka, gram, relative-change. Did you mean 'cka'?
            """)
    void testABadValueInAComponentSectionIsAUserErrorBeforeTraining(
            String command, String method, String override, String problem, @TempDir Path root) throws IOException {
        Path project = TestingCommandLine.tinySweepProject(root, "");
        List<String> args = new ArrayList<>(command.equals("validate") ? List.of("validate") : List.of());
        args.addAll(List.of("--experiment", "tiny_sweep", method, override));
        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Error: " + problem + "\n");
        assertNothingRan(project, run);
    }

    /**
     * Issue 17, item 8: an unknown key, a value of the wrong type, an unknown option, an unknown
     * component type and a value out of range, found by different stages of validation, in one
     * report (they used to come in two rounds).
     */
    @Test
    void testProblemsOfEveryStageAreReportedAtOnce(@TempDir Path root) {
        Run run = TestingCommandLine.run(repository(root), "validate", "--experiment", "fashion_mnist_quickstart",
                "trainer.epoch=1", "trainer.epochs=one", "method=kdd", "trainer.learning-rate=-1",
                "data.type=fashion-mnst");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: Invalid configuration:\n\n1) Unknown option 'kdd' for config group"
                        + " 'method' in override 'method=kdd'.")
                .contains("\n\n2) Unknown config key 'trainer.epoch' in override 'trainer.epoch=1'",
                        "\n\n3) In 'data' (override 'data.type=fashion-mnst'): Unknown dataset type 'fashion-mnst'.",
                        "\n\n4) Setting 'epochs' of section 'trainer' is 'one' (at override 'trainer.epochs=one');"
                                + " it must be an integer >= 1.",
                        "\n\n5) Setting 'learning-rate' of section 'trainer' is '-1' (at override"
                                + " 'trainer.learning-rate=-1'); it must be a number in (0, inf).")
                .endsWith("\n\n5 errors\n")
                .doesNotContain("Exception", "\tat ");
    }

    /**
     * Issue 17, item 7: a corrupt file of the test split, which nothing reads before the first
     * evaluation, fails validation and a run before anything trains, naming the file.
     */
    @Test
    void testACorruptTestSplitIsAUserErrorBeforeTraining(@TempDir Path root) throws IOException {
        Path data = root.resolve("fmnist");
        TestingFashionMnistFiles.write(data, 8, 4);
        Path testImages = data.resolve("t10k-images-idx3-ubyte");
        byte[] complete = Files.readAllBytes(testImages);
        Files.write(testImages, java.util.Arrays.copyOf(complete, complete.length - 100));
        Path project = TestingCommandLine.tinySweepProject(root.resolve("project"),
                "data { type = fashion-mnist, root = \"" + data + "\" }");
        String problem = "Error: File '" + testImages + "' is not a valid IDX file: its header announces dimensions"
                + " [4, 28, 28], i.e. 3152 bytes, but it has 3052 (truncated). Delete it and get the data again.\n";

        Run validate = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "tiny_sweep");
        Run sweep = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "--experiment", "tiny_sweep");

        assertThat(validate.exitCode()).as(validate.err() + validate.out()).isEqualTo(2);
        assertThat(validate.err()).isEqualTo(problem);
        assertThat(sweep.exitCode()).as(sweep.err() + sweep.out()).isEqualTo(2);
        assertThat(sweep.err()).isEqualTo(problem);
        assertNothingRan(project, sweep);
    }

    /** Every split is read even when an earlier one fails: a corrupt train and a corrupt test file, both listed. */
    @Test
    void testCorruptFilesOfSeveralSplitsAreListedTogether(@TempDir Path root) throws IOException {
        Path data = root.resolve("fmnist");
        TestingFashionMnistFiles.write(data, 8, 4);
        Path trainLabels = data.resolve("train-labels-idx1-ubyte");
        byte[] labels = Files.readAllBytes(trainLabels);
        labels[8 + 3] = 10;
        Files.write(trainLabels, labels);
        Path testImages = data.resolve("t10k-images-idx3-ubyte");
        Files.write(testImages, new byte[] {0, 0, 8});
        Path project = TestingCommandLine.tinySweepProject(root.resolve("project"),
                "data { type = fashion-mnist, root = \"" + data + "\" }");

        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "tiny_sweep");

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("""
                Error: Missing or unreadable data:

                1) File '%s' is not a valid IDX file: label 3 is 10, outside 0..9. Delete it and get the data again.

                2) File '%s' is not a valid IDX file: it has only 3 bytes, fewer than the 4-byte magic number. \
                Delete it and get the data again.

                2 errors
                """.formatted(trainLabels, testImages));
    }

    /** Issue 17, item 9: an explicit data.root is used, or is an error naming it; never replaced. */
    @Test
    void testAnExplicitDataRootThatLacksTheFilesIsAnErrorNamingIt(@TempDir Path root) throws IOException {
        Path data = root.resolve("fmnist");
        TestingFashionMnistFiles.write(data, 8, 4);
        Files.delete(data.resolve("train-labels-idx1-ubyte"));
        Path project = TestingCommandLine.tinySweepProject(root.resolve("project"), "data.type = fashion-mnist");
        // A complete copy on the data search path must not stand in for the named root.
        TestingFashionMnistFiles.write(project.resolve("data/fashion-mnist"), 8, 4);

        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "tiny_sweep", "data.root=" + data);

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Error: Dataset 'fashion-mnist': setting 'root' = '" + data
                + "' lacks train-labels-idx1-ubyte (raw or .gz). Put the four files there (each raw or .gz;"
                + " './runner data fetch fashion-mnist --dir DIR' downloads them into DIR/fashion-mnist), or remove"
                + " 'root' to use the data search path.\n");
        assertThat(TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "tiny_sweep").exitCode()).isZero();
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
