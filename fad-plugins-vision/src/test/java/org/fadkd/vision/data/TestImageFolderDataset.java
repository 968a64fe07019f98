package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.vision.data.ImageTransforms.Draw;
import org.fadkd.vision.data.ImageTransforms.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestImageFolderDataset {
    @Test
    void testClassesAreSortedFolderNamesAndBothFormatsDecode(@TempDir Path root) {
        writeRgb(root.resolve("train/zebra/b.png"), 40, 30, 0x102030, "png");
        writeRgb(root.resolve("train/zebra/a.jpg"), 40, 30, 0x102030, "jpg");
        writeRgb(root.resolve("train/ant/x.JPEG"), 30, 40, 0x808080, "jpg");
        writeRgb(root.resolve("val/zebra/c.png"), 40, 30, 0x102030, "png");
        writeRgb(root.resolve("val/ant/d.png"), 30, 40, 0xFF0000, "png");
        Files.exists(root);

        LabeledDataset dataset = open(root, "image-size = 16, resize-size = 20, normalize = false");

        assertThat(dataset.getClassNames()).containsExactly("ant", "zebra");
        assertThat(dataset.getSampleShape()).isEqualTo(new Shape(3, 16, 16));
        DataSplit train = dataset.getSplit(Split.TRAIN);
        assertThat(train.size()).isEqualTo(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(train.getClassLabels(manager)).containsExactly(0, 1, 1);
            LabeledBatch batch = train.getBatch(manager, new int[] {0, 1, 2});
            assertThat(batch.inputs().head().getShape()).isEqualTo(new Shape(3, 3, 16, 16));
            assertThat(batch.labels().head().toLongArray()).containsExactly(0, 1, 1);
            LabeledBatch training = train.getTrainingBatch(manager, new int[] {2, 0}, 7, 1);
            assertThat(training.inputs().head().getShape()).isEqualTo(new Shape(2, 3, 16, 16));
            // a uniform red PNG stays exactly red through resize and crop
            float[] red = dataset.getSplit(Split.TEST).getBatch(manager, new int[] {0}).inputs().head().toFloatArray();
            assertThat(red[0]).isEqualTo(1f);
            assertThat(red[16 * 16]).isEqualTo(0f);
        }
        assertThat(dataset.getFingerprint()).startsWith("sha256:").isEqualTo(open(root, "").getFingerprint());
    }

    @Test
    void testGrayscaleKeepsItsValuesInOneOrThreeChannels(@TempDir Path root) {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 51, 102, 255});
        write(gray, root.resolve("train/a/g.png"), "png");
        write(gray, root.resolve("val/a/g.png"), "png");
        for (int channels : new int[] {1, 3}) {
            LabeledDataset dataset = open(root, "channels = " + channels + ", image-size = 2, resize-size = 2,"
                    + " normalize = false, mean = " + (channels == 1 ? "[0]" : "[0,0,0]")
                    + ", std = " + (channels == 1 ? "[1]" : "[1,1,1]"));
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] values = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {0}).inputs().head()
                        .toFloatArray();
                float[] expected = {0f, 0.2f, 0.4f, 1f};
                float[] all = new float[4 * channels];
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(expected, 0, all, 4 * c, 4);
                }
                assertThat(values).containsExactly(all, withPrecision(1e-6f));
            }
        }
    }

    /** Resize 2×4 → shorter side 4 (4×8), then the center 4×4: by hand, bilinear with half-pixel centres. */
    @Test
    void testEvaluationResizeAndCenterCropByHand() {
        Image image = new Image(1, 2, 4, new float[] {0, 4, 8, 12, 16, 20, 24, 28});

        Image out = ImageTransforms.evaluation(image, 4, 4);

        // Columns 4 → 8: output x reads source (x + 0.5) / 2 − 0.5, clamped at the edges, so row 0
        // [0, 4, 8, 12] becomes [0, 1, 3, 5, 7, 9, 11, 12] and row 1 (16 more) [16, 17, ..., 28];
        // the center crop keeps columns (8 − 4) / 2 = 2 to 5. Rows 2 → 4: weights of row 1 are
        // 0, 1/4, 3/4, 1.
        float[] expected = {
            3, 5, 7, 9,
            7, 9, 11, 13,
            15, 17, 19, 21,
            19, 21, 23, 25};
        assertThat(out.height()).isEqualTo(4);
        assertThat(out.width()).isEqualTo(4);
        assertThat(out.values()).containsExactly(expected, withPrecision(1e-5f));
    }

    @Test
    void testRandomResizedCropIsDeterministicAndWithinBounds() {
        double[] scale = {0.08, 1.0};
        double[] ratio = {3.0 / 4, 4.0 / 3};
        boolean anyFlip = false;
        boolean anyNoFlip = false;
        for (int index = 0; index < 500; index++) {
            Draw draw = ImageTransforms.draw(42, 3, index, 60, 80, scale, ratio, true);
            assertThat(draw).isEqualTo(ImageTransforms.draw(42, 3, index, 60, 80, scale, ratio, true));
            ImageTransforms.Window window = draw.window();
            assertThat(window.top()).isBetween(0, 60 - window.height());
            assertThat(window.left()).isBetween(0, 80 - window.width());
            assertThat(window.height()).isBetween(1, 60);
            assertThat(window.width()).isBetween(1, 80);
            double area = (double) window.height() * window.width() / (60 * 80);
            assertThat(area).isBetween(0.05, 1.0);
            anyFlip |= draw.flip();
            anyNoFlip |= !draw.flip();
        }
        assertThat(anyFlip && anyNoFlip).isTrue();
        assertThat(ImageTransforms.draw(42, 4, 0, 60, 80, scale, ratio, true))
                .isNotEqualTo(ImageTransforms.draw(42, 3, 0, 60, 80, scale, ratio, true));
    }

    @Test
    void testTrainingBatchesDependOnSeedEpochAndSampleOnly(@TempDir Path root) {
        for (int i = 0; i < 4; i++) {
            writeNoise(root.resolve("train/a/" + i + ".png"), 32, 24, i);
        }
        writeNoise(root.resolve("val/a/v.png"), 32, 24, 9);
        DataSplit train = open(root, "image-size = 8, resize-size = 8").getSplit(Split.TRAIN);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pair = train.getTrainingBatch(manager, new int[] {1, 3}, 5, 2).inputs().head().toFloatArray();
            float[] alone = train.getTrainingBatch(manager, new int[] {3}, 5, 2).inputs().head().toFloatArray();
            float[] otherEpoch = train.getTrainingBatch(manager, new int[] {3}, 5, 3).inputs().head().toFloatArray();
            assertThat(Arrays.copyOfRange(pair, 3 * 64, 6 * 64)).containsExactly(alone);
            assertThat(otherEpoch).isNotEqualTo(alone);
            assertThat(train.hasRandomTrainingBatches()).isTrue();
        }
    }

    @Test
    void testMalformedFoldersAreDataErrorsNamingThePath(@TempDir Path root) throws IOException {
        assertDataError(() -> open(root.resolve("absent"), ""), root.resolve("absent") + "' is not a directory");
        Files.createDirectories(root.resolve("train"));
        assertDataError(() -> open(root, ""), root.resolve("val") + "' is missing");
        Files.createDirectories(root.resolve("val"));
        assertDataError(() -> open(root, ""), root.resolve("train") + "' has no class folders");
        writeRgb(root.resolve("train/cat/a.png"), 4, 4, 0, "png");
        writeRgb(root.resolve("train/dog/a.png"), 4, 4, 0, "png");
        writeRgb(root.resolve("val/cat/a.png"), 4, 4, 0, "png");
        writeRgb(root.resolve("val/emu/a.png"), 4, 4, 0, "png");
        assertDataError(() -> open(root, ""), "only train/ has 'dog' and only val/ has 'emu'");
        Files.move(root.resolve("val/emu"), root.resolve("val/dog"));
        Files.writeString(root.resolve("val/dog/a.png"), "not a png");
        Files.createDirectories(root.resolve("train/cat/empty"));
        LabeledDataset dataset = open(root, "");
        assertDataError(() -> dataset.getSplit(Split.TEST),
                "Image '" + root.resolve("val/dog/a.png") + "' cannot be decoded");
        Files.delete(root.resolve("train/dog/a.png"));
        assertDataError(() -> open(root, "").getSplit(Split.TRAIN),
                "class folder '" + root.resolve("train/dog") + "' holds no image");
    }

    @Test
    void testATruncatedImageIsReportedWhenTheSplitIsFirstReadOrItsBatch(@TempDir Path root) throws IOException {
        writeNoise(root.resolve("train/a/ok.png"), 64, 64, 1);
        writeNoise(root.resolve("val/a/ok.jpg"), 64, 64, 2);
        Path truncatedPng = root.resolve("train/a/cut.png");
        Path truncatedJpeg = root.resolve("val/a/cut.jpg");
        writeNoise(truncatedPng, 64, 64, 3);
        writeNoise(truncatedJpeg, 64, 64, 4);
        for (Path file : new Path[] {truncatedPng, truncatedJpeg}) {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        }

        assertDataError(() -> open(root, "").getSplit(Split.TRAIN), "Image '" + truncatedPng + "' cannot be decoded");
        assertDataError(() -> open(root, "").getSplit(Split.TEST), "Image '" + truncatedJpeg + "' cannot be decoded");
        DataSplit unverified = open(root, "verify-limit = 0").getSplit(Split.TRAIN);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertDataError(() -> unverified.getBatch(manager, new int[] {0}), "'" + truncatedPng + "'");
        }
    }

    @Test
    void testBatchesAreTheSameWhateverTheNumberOfWorkers(@TempDir Path root) {
        for (int i = 0; i < 12; i++) {
            String extension = i % 3 == 0 ? "png" : "jpg";
            writeNoise(root.resolve("train/" + (i % 2 == 0 ? "ant" : "bee") + "/" + i + "." + extension),
                    40 + 3 * i, 56 - 2 * i, 100 + i);
        }
        writeNoise(root.resolve("val/ant/v.jpg"), 40, 40, 1);
        writeNoise(root.resolve("val/bee/v.jpg"), 40, 40, 2);
        int[] indices = {11, 3, 0, 7, 5, 9, 1, 10, 2, 8, 6, 4};
        float[][] expected = null;
        for (String workers : new String[] {"1", "4", "16", "0"}) {
            DataSplit train = open(root, "image-size = 24, resize-size = 28, workers = " + workers).getSplit(Split.TRAIN);
            try (NDManager manager = NDManager.newBaseManager()) {
                float[][] batches = {
                    train.getTrainingBatch(manager, indices, 3, 1).inputs().head().toFloatArray(),
                    train.getTrainingBatch(manager, indices, 3, 2).inputs().head().toFloatArray(),
                    train.getBatch(manager, indices).inputs().head().toFloatArray(),
                    train.getTrainingBatch(manager, indices, 3, 1).labels().head().toType(DataType.FLOAT32, false)
                            .toFloatArray(),
                };
                if (expected == null) {
                    expected = batches;
                    assertThat(batches[0]).isNotEqualTo(batches[1]);
                }
                for (int b = 0; b < batches.length; b++) {
                    assertThat(batches[b]).as("workers %s, batch %d", workers, b).containsExactly(expected[b]);
                }
            }
        }
    }

    @Test
    void testWithWorkersTheFirstBrokenImageOfTheBatchIsNamed(@TempDir Path root) throws IOException {
        for (int i = 0; i < 8; i++) {
            writeNoise(root.resolve("train/a/" + i + ".png"), 32, 32, i);
        }
        writeNoise(root.resolve("val/a/v.png"), 32, 32, 9);
        for (int broken : new int[] {2, 6}) {
            Path file = root.resolve("train/a/" + broken + ".png");
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        }
        assertDataError(() -> open(root, "workers = 4").getSplit(Split.TRAIN),
                "Image '" + root.resolve("train/a/2.png") + "' cannot be decoded");
        DataSplit unverified = open(root, "workers = 4, verify-limit = 0").getSplit(Split.TRAIN);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int attempt = 0; attempt < 5; attempt++) {
                assertDataError(() -> unverified.getTrainingBatch(manager, new int[] {7, 6, 1, 0, 2}, 1, 1),
                        "Image '" + root.resolve("train/a/6.png") + "' cannot be decoded");
            }
        }
    }

    @Test
    void testWorkersDefaultToTheProcessors() {
        ImageFolderSettings defaults = ImageFolderSettings.from(new ImageFolderDatasetFactory().getDefaults());
        assertThat(defaults.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> ImageFolderSettings.from(ConfigFactory.parseString("workers = -1")
                .withFallback(new ImageFolderDatasetFactory().getDefaults())))
                .hasMessageContaining("workers");
    }

    @Test
    void testSettingsAreCheckedTogether() {
        assertThatThrownBy(() -> ImageFolderSettings.from(ConfigFactory.parseString(
                        "channels = 2, resize-size = 100, scale = [0.5, 0.1], mean = [0, 0, 0, 0]")
                .withFallback(new ImageFolderDatasetFactory().getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("channels")
                .hasMessageContaining("resize-size")
                .hasMessageContaining("scale")
                .hasMessageContaining("mean");
    }

    private static void assertDataError(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining(message);
    }

    static LabeledDataset open(Path root, String settings) {
        return ImageFolderDataset.open(root, ImageFolderSettings.from(ConfigFactory.parseString(settings)
                .withFallback(new ImageFolderDatasetFactory().getDefaults())));
    }

    private static void writeRgb(Path file, int width, int height, int rgb, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        write(image, file, format);
    }

    private static void writeNoise(Path file, int width, int height, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        String name = file.getFileName().toString();
        write(image, file, name.substring(name.lastIndexOf('.') + 1));
    }

    private static void write(BufferedImage image, Path file, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format.equalsIgnoreCase("jpeg") ? "jpg" : format, file.toFile())) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
