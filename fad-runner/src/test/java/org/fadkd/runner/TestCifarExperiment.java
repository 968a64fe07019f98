package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset {@code cifar100} as a user runs it: a tiny folder in the official binary layout where
 * {@code runner data fetch cifar100} extracts it, a 1-epoch job of RepDistiller's recipe on the
 * small CIFAR resnet8, and {@code runner validate} on the shipped benchmark experiment and on a
 * truncated file.
 */
final class TestCifarExperiment {
    private static final int RECORD = 2 + 3 * 32 * 32;
    private static final Path BENCHMARK =
            Path.of("..", "experiments", "cifar100_resnet32x4_resnet8x4.conf").toAbsolutePath().normalize();

    @TempDir
    Path project;

    @Test
    void testOneEpochOfTheCifarRecipeTrainsEndToEnd() throws IOException {
        writeTinyCifar100(project.resolve("data/cifar100/cifar-100-binary"));
        Files.createDirectories(project.resolve("experiments"));
        // the benchmark's recipe (multi-step decay, crop-flip), shortened to one epoch of 4 batches
        String recipe = "epochs = 1, batch-size = 32, eval-batch-size = 64, optimizer = sgd, learning-rate = 0.05,"
                + " momentum = 0.9, weight-decay = 0.0005, schedule = multi-step, milestones = [1], gamma = 0.1,"
                + " augment = crop-flip";
        Files.writeString(project.resolve("experiments/tiny_cifar.conf"), """
                defaults = [
                  { task: classification }
                  { data: cifar100 }
                  { "model@teacher": resnet8 }
                  { "model@student": resnet8 }
                  { method: kd }
                  { trainer: standard }
                  _self_
                ]
                seed = 3
                teacher-training { %s }
                trainer { %s }
                %s
                """.formatted(recipe, recipe, TestingCommandLine.QUICK_MEASUREMENT));

        Run run = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project), "--experiment", "tiny_cifar");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("teacher epoch 1:", "job 1/1 kd distill epoch 1:");
        try (var files = Files.walk(project.resolve("outputs"))) {
            assertThat(files.filter(path -> path.getFileName().toString().equals("summary.json"))).hasSize(1);
        }
    }

    @Test
    void testValidateAcceptsTheBenchmarkAndRejectsATruncatedFile() throws IOException {
        Path root = project.resolve("cifar");
        writeTinyCifar100(root);

        Run valid = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", BENCHMARK.toString(), "data.root=" + root);
        assertThat(valid.exitCode()).as(valid.err() + valid.out()).isZero();
        assertThat(valid.out()).contains("is valid: 21 jobs");

        Path train = root.resolve("train.bin");
        byte[] bytes = Files.readAllBytes(train);
        Files.write(train, Arrays.copyOf(bytes, bytes.length - 1000));
        Run truncated = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", BENCHMARK.toString(), "data.root=" + root);
        assertThat(truncated.exitCode()).as(truncated.out()).isEqualTo(2);
        assertThat(truncated.err()).contains("File '" + train + "' is not valid CIFAR data",
                "not a whole, positive number of 3074-byte records");
    }

    /** 160 training and 32 test records of random pixels and fine labels, and their coarse labels. */
    private static void writeTinyCifar100(Path directory) throws IOException {
        Files.createDirectories(directory);
        Random random = new Random(1);
        for (String name : new String[] {"train.bin", "test.bin"}) {
            int records = name.equals("train.bin") ? 160 : 32;
            byte[] bytes = new byte[records * RECORD];
            random.nextBytes(bytes);
            for (int i = 0; i < records; i++) {
                int fine = random.nextInt(100);
                bytes[i * RECORD] = (byte) (fine / 5);
                bytes[i * RECORD + 1] = (byte) fine;
            }
            Files.write(directory.resolve(name), bytes);
        }
    }
}
