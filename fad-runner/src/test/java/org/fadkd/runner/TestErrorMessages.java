package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fadkd.runner.TestingCommandLine.REPOSITORY_CONFIGS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden-output tests of the error messages of typical mistakes, as Guice's ErrorMessageTestUtils
 * does: the runner's stderr is compared with {@code src/test/resources/golden/<name>.txt}, with the
 * temporary project, the repository's configs and line numbers masked. Run with {@code
 * -Dfad.golden.update=true} to rewrite the files after a deliberate change, then review the diff.
 */
final class TestErrorMessages {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static final String EXPERIMENT = """
            defaults = [
              { task: classification }
              { data: fashion-mnist }
              { "model@teacher": resnet }
              { "model@student": cnn }
              { method: kd }
              _self_
            ]
            data { type = testing-images }
            seed = 3
            trainer { epochs = 1 }
            sweep { method = [kd, fad] }
            """;

    @Test
    void testTypoInOverrideKey(@TempDir Path root) throws IOException {
        assertGolden("typo-in-override-key", root, EXPERIMENT, "trainer.epocs=2");
    }

    @Test
    void testUnknownGroupOption(@TempDir Path root) throws IOException {
        assertGolden("unknown-group-option", root, EXPERIMENT, "method=kdd");
    }

    @Test
    void testAddingAKeyThatExists(@TempDir Path root) throws IOException {
        assertGolden("add-existing-key", root, EXPERIMENT, "+trainer.epochs=2");
    }

    /** Found when the composed jobs are validated: keys of component sections and of job settings, values. */
    @Test
    void testUnknownKeyInAComponentSection(@TempDir Path root) throws IOException {
        assertGolden("unknown-component-key", root,
                EXPERIMENT.replace("seed = 3", "seed = 3\nmethod { temprature = 2 }\ntrainer { learning-rat = 0.1 }"),
                "teacher-training.epochs=one");
    }

    @Test
    void testBadRange(@TempDir Path root) throws IOException {
        assertGolden("bad-range", root, EXPERIMENT, "-m", "seed=range(1,x)");
    }

    /** Found by the components' own checks: values out of range, in the file and in overrides, with their ranges. */
    @Test
    void testValuesOutOfRange(@TempDir Path root) throws IOException {
        assertGolden("values-out-of-range", root,
                EXPERIMENT.replace("seed = 3", "seed = 3\nteacher { blocks-per-stage = 0 }"),
                "method=kd", "method.alpha=7", "student.widths=[0,-1,4]", "method.temperature=-1");
    }

    /** Found while composing: overrides, the defaults list, keys. */
    @Test
    void testSeveralMistakesAtOnce(@TempDir Path root) throws IOException {
        assertGolden("several-mistakes", root,
                EXPERIMENT.replace("{ \"model@student\": cnn }", "{ \"model@student\": cnnn }"),
                "seed=1,2", "~trainer.epochs=5", "trainer.epocs=2", "+method=fad");
    }

    private static void assertGolden(String name, Path root, String experiment, String... overrides)
            throws IOException {
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/mistake.conf"), experiment);
        List<String> args = new java.util.ArrayList<>(List.of("--experiment", "mistake"));
        args.addAll(List.of(overrides));
        TestingCommandLine.Run run =
                TestingCommandLine.run(TestingCommandLine.repositoryLayout(root), args.toArray(String[]::new));

        String actual = mask(run.err(), root);
        assertThat(run.exitCode()).as(actual + run.out()).isEqualTo(2);
        Path golden = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("fad.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    /** Masks what differs between machines and edits: absolute paths and line numbers. */
    static String mask(String text, Path project) {
        return text.replace(project.toString(), "<project>")
                .replace(REPOSITORY_CONFIGS.toString(), "<configs>")
                // Plugin defaults resources: target/classes in an IDE, a jar in a reactor build.
                .replaceAll(" @ (?:jar:)?file:[^\\s:!]*(?:![^\\s:]*)?", " @ <resource>")
                .replaceAll("(\\.conf|<resource>): \\d+", "$1: <line>");
    }
}
