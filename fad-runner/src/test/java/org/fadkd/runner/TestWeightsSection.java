package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's {@code weights} section next to settings whose default is null. */
class TestWeightsSection {
    private static final Path QUICKSTART =
            TestingCommandLine.REPOSITORY_CONFIGS.resolveSibling("experiments").resolve("fashion_mnist_quickstart.conf");

    @Test
    void testAModelWhoseSettingsDefaultToNullTakesWeights(@TempDir Path project) throws IOException {
        // vit's hidden-dim, layers and heads default to null ("take the size's"); describing the
        // pretrained model for its messages once failed on them ("Configuration key 'heads' is null").
        Path weights = Files.createFile(project.resolve("vit.safetensors"));
        TestingCommandLine.Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", QUICKSTART.toString(), "teacher=vit-ti4",
                "+teacher.weights={file=\"" + weights + "\"}");

        assertThat(run.err()).doesNotContain("is null");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }
}
