package org.fadkd.runner.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.fadkd.runner.TestingCommandLine;
import org.fadkd.runner.TestingFashionMnistFiles;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code runner data export-imagefolder}: Fashion-MNIST written as PNG class folders holds the
 * same pixels and labels, reads back as dataset {@code imagefolder} (validate passes), refuses a
 * non-empty directory, and a truncated image fails validation naming the file.
 */
final class TestImageFolderExport {
    private static final int TRAIN = 20;
    private static final int TEST = 10;

    @Test
    void testExportKeepsPixelsAndLabelsAndReadsBackAsAnImageFolder(@TempDir Path root) throws IOException {
        TestingFashionMnistFiles.write(root.resolve("data/fashion-mnist"), TRAIN, TEST);
        Path exported = root.resolve("exported");

        Run export = run(root, "data", "export-imagefolder", "fashion-mnist", exported.toString());

        assertThat(export.exitCode()).as(export.err() + export.out()).isZero();
        assertThat(exported.resolve(".fad-export-complete")).exists();
        List<Path> trainFolders = folders(exported.resolve("train"));
        assertThat(trainFolders).hasSize(10);
        assertThat(trainFolders.get(0).getFileName().toString()).startsWith("0").contains("t-shirt");
        assertThat(trainFolders.get(9).getFileName().toString()).startsWith("9").contains("boot");
        assertThat(images(exported.resolve("train"))).hasSize(TRAIN);
        assertThat(images(exported.resolve("val"))).hasSize(TEST);
        // every image holds its source pixels, in the folder of its label
        for (Path image : images(exported.resolve("train"))) {
            BufferedImage read = ImageIO.read(image.toFile());
            int label = Integer.parseInt(image.getParent().getFileName().toString().substring(0, 1));
            int sample = findSample(read, label);
            assertThat(sample).as("%s matches no training sample of label %d", image, label).isNotNegative();
        }

        Path project = project(root, exported);
        Run validate = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "folder");
        assertThat(validate.exitCode()).as(validate.err() + validate.out()).isZero();

        Run again = run(root, "data", "export-imagefolder", "fashion-mnist", exported.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("'" + exported + "' is not empty");

        Path victim = images(exported.resolve("val")).get(3);
        byte[] whole = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run broken = TestingCommandLine.run(TestingCommandLine.repositoryLayout(project),
                "validate", "--experiment", "folder");
        assertThat(broken.exitCode()).as(broken.err() + broken.out()).isEqualTo(2);
        assertThat(broken.err()).contains(victim.toString());
    }

    private static Run run(Path root, String... args) {
        return TestingCommandLine.run(TestingCommandLine.repositoryLayout(root), args);
    }

    /** An experiment reading the exported folder at its own size: grayscale 28×28, Fashion-MNIST's statistics. */
    private static Path project(Path root, Path folder) throws IOException {
        Path project = root.resolve("project");
        Files.createDirectories(project.resolve("experiments"));
        Files.writeString(project.resolve("experiments/folder.conf"), """
                defaults = [
                  { task: classification }
                  { data: imagefolder }
                  { "model@teacher": resnet }
                  { "model@student": cnn }
                  { method: kd }
                  _self_
                ]
                data {
                  root = "%s"
                  channels = 1
                  image-size = 28
                  resize-size = 28
                  mean = [0.286]
                  std = [0.353]
                }
                """.formatted(folder));
        return project;
    }

    /** The index of the training sample of {@code label} whose pixels the image holds, or -1. */
    private static int findSample(BufferedImage image, int label) {
        for (int sample = label; sample < TRAIN; sample += 10) {
            boolean same = true;
            for (int pixel = 0; pixel < 28 * 28 && same; pixel++) {
                same = (image.getRaster().getSample(pixel % 28, pixel / 28, 0)) == TestingFashionMnistFiles.pixel(sample, pixel);
            }
            if (same) {
                return sample;
            }
        }
        return -1;
    }

    private static List<Path> folders(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<Path> images(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".png")).sorted().toList();
        }
    }
}
