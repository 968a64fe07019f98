package org.fadkd.runner.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.fadkd.runner.TestingCommandLine;
import org.fadkd.runner.TestingCommandLine.Run;
import org.fadkd.runner.TestingFashionMnistFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code runner data generate}: fashion-mnist-canvas written as COCO and VOC files (that they read
 * back is fad-plugins-vision's TestFashionMnistCanvas); a non-empty directory and a dataset that is
 * read from files are refused as user errors.
 */
final class TestDataGenerate {
    @Test
    void testGeneratesBothFormats(@TempDir Path root) throws IOException {
        TestingFashionMnistFiles.write(root.resolve("data/fashion-mnist"), 20, 10);
        Path written = root.resolve("canvases");

        Run generate = run(root, "data", "generate", "fashion-mnist-canvas", written.toString(),
                "--set", "train-size=6", "--set", "test-size=3");

        assertThat(generate.exitCode()).as(generate.err() + generate.out()).isZero();
        assertThat(generate.out()).contains("6 training and 3 test canvases");
        assertThat(written.resolve("annotations/instances_train.json")).exists();
        assertThat(written.resolve("annotations/instances_test.json")).exists();
        assertThat(written.resolve("Annotations/train-000005.xml")).exists();
        assertThat(written.resolve("JPEGImages/test-000002.png")).exists();
        assertThat(written.resolve("ImageSets/Main/train.txt")).exists();

        Run again = run(root, "data", "generate", "fashion-mnist-canvas", written.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("'" + written + "' is not empty");

        Run notGenerated = run(root, "data", "generate", "fashion-mnist", root.resolve("other").toString());
        assertThat(notGenerated.exitCode()).isEqualTo(2);
        assertThat(notGenerated.err()).contains("cannot write them");
    }

    private static Run run(Path root, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(root), args);
    }
}
