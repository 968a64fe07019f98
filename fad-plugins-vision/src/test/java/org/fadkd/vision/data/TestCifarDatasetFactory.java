package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;
import static org.fadkd.vision.data.TestingCifarFiles.PIXELS;
import static org.fadkd.vision.data.TestingCifarFiles.coarseLabel;
import static org.fadkd.vision.data.TestingCifarFiles.label;
import static org.fadkd.vision.data.TestingCifarFiles.pixel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

final class TestCifarDatasetFactory {
    private static final double[] CIFAR100_MEAN = {0.5071, 0.4867, 0.4408};
    private static final double[] CIFAR100_STD = {0.2675, 0.2565, 0.2761};

    @TempDir Path temporary;

    @Test
    void testDefaultsAreDocumentedAndDifferByVariant() {
        assertThat(factory(CifarVariant.CIFAR10).getDefaults().root().keySet())
                .containsExactlyInAnyOrder("root", "normalize");
        assertThat(factory(CifarVariant.CIFAR100).getDefaults().root().keySet())
                .containsExactlyInAnyOrder("root", "normalize", "label");
        assertThat(factory(CifarVariant.CIFAR100).getDefaults().getString("label"))
                .isEqualTo("fine");
        assertThat(CifarDatasetFactory.cifar10().getName()).isEqualTo("cifar10");
        assertThat(CifarDatasetFactory.cifar100().getName()).isEqualTo("cifar100");
        assertThat(CifarDatasetFactory.cifar100().getLocationKeys()).containsExactly("root");
        assertThat(CifarDatasetFactory.cifar100().isDownloadable()).isTrue();
    }

    @Test
    void testBadLabelSettingIsReported() {
        CifarDatasetFactory factory = factory(CifarVariant.CIFAR100);
        Config settings =
                ConfigFactory.parseMap(Map.of("label", "medium"))
                        .withFallback(factory.getDefaults());

        assertThatThrownBy(() -> factory.check(settings))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("dataset 'cifar100'")
                .hasMessageContaining("'label'")
                .hasMessageContaining("fine or coarse");
    }

    @Test
    void testCifar10SplitsShapesAndClassNames() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR10, 3, 4);

        CifarDataset dataset = create(CifarVariant.CIFAR10, settings(root, false, null));

        // five training files of 3 records, in file order
        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(15);
        assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(4);
        assertThat(dataset.hasValidationSplit()).isFalse();
        assertThat(dataset.getSplit(Split.VALIDATION)).isSameAs(dataset.getSplit(Split.TEST));
        assertThat(dataset.getSampleShape()).isEqualTo(new Shape(3, 32, 32));
        assertThat(dataset.getClassCount()).isEqualTo(10);
        assertThat(dataset.getClassNames()).isEqualTo(TestingCifarFiles.namesOf("c10-", 10));
        try (NDManager manager = NDManager.newBaseManager()) {
            // sample 13 is in data_batch_5.bin
            LabeledBatch batch = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {13, 0});
            assertThat(batch.labels().singletonOrThrow().toLongArray())
                    .containsExactly(
                            label(CifarVariant.CIFAR10, 13), label(CifarVariant.CIFAR10, 0));
            assertThat(batch.inputs().singletonOrThrow().toFloatArray())
                    .containsExactly(
                            expectedPixels(new int[] {13, 0}, null, null), withPrecision(1e-7f));
        }
    }

    @Test
    void testCifar100FineAndCoarseLabels() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR100, 12, 5);

        CifarDataset fine = create(CifarVariant.CIFAR100, settings(root, true, "fine"));
        CifarDataset coarse = create(CifarVariant.CIFAR100, settings(root, true, "coarse"));

        assertThat(fine.getClassCount()).isEqualTo(100);
        assertThat(coarse.getClassCount()).isEqualTo(20);
        assertThat(fine.getClassNames()).isEqualTo(TestingCifarFiles.namesOf("fine-", 100));
        assertThat(coarse.getClassNames()).isEqualTo(TestingCifarFiles.namesOf("coarse-", 20));
        int[] samples = {11, 3, 7};
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] fineLabels =
                    fine.getSplit(Split.TRAIN)
                            .getBatch(manager, samples)
                            .labels()
                            .singletonOrThrow()
                            .toLongArray();
            long[] coarseLabels =
                    coarse.getSplit(Split.TRAIN)
                            .getBatch(manager, samples)
                            .labels()
                            .singletonOrThrow()
                            .toLongArray();
            for (int i = 0; i < samples.length; i++) {
                assertThat(fineLabels[i]).isEqualTo(label(CifarVariant.CIFAR100, samples[i]));
                assertThat(coarseLabels[i]).isEqualTo(coarseLabel(samples[i]));
            }
        }
        // the labels differ, the images do not: the content fingerprint is the same
        assertThat(fine.getFingerprint()).isEqualTo(coarse.getFingerprint()).startsWith("sha256:");
    }

    @Test
    void testNormalisationUsesTheCifar100ChannelStatistics() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR100, 12, 5);
        DataSplit test =
                create(CifarVariant.CIFAR100, settings(root, true, "fine")).getSplit(Split.TEST);

        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledBatch batch = test.getBatch(manager, new int[] {4, 1});
            NDArray inputs = batch.inputs().singletonOrThrow();

            assertThat(inputs.getShape()).isEqualTo(new Shape(2, 3, 32, 32));
            assertThat(inputs.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(inputs.getManager()).isSameAs(manager);
            assertThat(batch.labels().singletonOrThrow().getDataType()).isEqualTo(DataType.INT64);
            assertThat(inputs.toFloatArray())
                    .containsExactly(
                            expectedPixels(new int[] {4, 1}, CIFAR100_MEAN, CIFAR100_STD),
                            withPrecision(1e-6f));
            // a black pixel of the red plane: (0 - 0.5071) / 0.2675
            assertThat(inputs.get(1, 0).min().getFloat())
                    .isCloseTo((float) (-0.5071 / 0.2675), withPrecision(1e-6f));
        }
    }

    @Test
    void testFingerprintFollowsTheContent() {
        Path first = temporary.resolve("first");
        Path second = temporary.resolve("second");
        TestingCifarFiles.write(first, CifarVariant.CIFAR10, 2, 2);
        TestingCifarFiles.write(second, CifarVariant.CIFAR10, 2, 2);
        String fingerprint =
                create(CifarVariant.CIFAR10, settings(first, true, null)).getFingerprint();

        assertThat(create(CifarVariant.CIFAR10, settings(second, false, null)).getFingerprint())
                .isEqualTo(fingerprint);
        TestingCifarFiles.writeRecords(
                second.resolve("test_batch.bin"), CifarVariant.CIFAR10, 1, 2);
        assertThat(create(CifarVariant.CIFAR10, settings(second, true, null)).getFingerprint())
                .isNotEqualTo(fingerprint);
    }

    @Test
    void testFindsTheArchiveFolderOnTheSearchPathInOrder() {
        Path first = temporary.resolve("first");
        Path second = temporary.resolve("second");
        Path third = temporary.resolve("third");
        TestingCifarFiles.write(first.resolve("cifar100"), CifarVariant.CIFAR100, 2, 1);
        // the first directory lacks test.bin: skipped
        deleteQuietly(first.resolve("cifar100/test.bin"));
        TestingCifarFiles.write(
                second.resolve("cifar100/cifar-100-binary"), CifarVariant.CIFAR100, 3, 1);
        TestingCifarFiles.write(third.resolve("cifar100"), CifarVariant.CIFAR100, 4, 1);

        CifarDataset dataset =
                create(
                        CifarVariant.CIFAR100,
                        ConfigFactory.empty(),
                        temporary.resolve("absent"),
                        first,
                        second,
                        third);

        assertThat(dataset.getDirectory()).isEqualTo(second.resolve("cifar100/cifar-100-binary"));
        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(3);
    }

    @Test
    void testMissingDataNamesEverythingSearchedAndHowToGetIt() {
        Path absent = temporary.resolve("absent");
        Path partial = temporary.resolve("partial");
        TestingCifarFiles.write(partial.resolve("cifar100"), CifarVariant.CIFAR100, 1, 1);
        deleteQuietly(partial.resolve("cifar100/train.bin"));

        // the official factory, so that the message names the official archive (create never
        // downloads)
        CifarDatasetFactory official = CifarDatasetFactory.cifar100();
        try (TestingFadContext context =
                TestingFadContext.builder()
                        .workDirectory(temporary)
                        .dataSearchPath(absent, partial)
                        .build()) {
            assertThatThrownBy(() -> official.create(official.getDefaults(), context))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining(
                            "Dataset 'cifar100' not found. Looked for train.bin, test.bin")
                    .hasMessageContaining(
                            "1. '"
                                    + absent.resolve("cifar100")
                                    + "' (data search path): no such directory")
                    .hasMessageContaining(
                            "2. '"
                                    + partial.resolve("cifar100")
                                    + "' (data search path): missing train.bin")
                    .hasMessageContaining("./runner data fetch cifar100")
                    .hasMessageContaining(
                            "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz")
                    .hasMessageContaining(
                            "put that archive at '"
                                    + absent.resolve("cifar100/cifar-100-binary.tar.gz")
                                    + "'")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.DATA_MISSING);
        }
    }

    @Test
    void testRootIsTheOnlyPlaceLookedAt() {
        Path root = temporary.resolve("root");
        Path elsewhere = temporary.resolve("elsewhere");
        TestingCifarFiles.write(root, CifarVariant.CIFAR10, 1, 1);
        deleteQuietly(root.resolve("data_batch_3.bin"));
        TestingCifarFiles.write(elsewhere.resolve("cifar10"), CifarVariant.CIFAR10, 1, 1);

        assertThatThrownBy(
                        () -> create(CifarVariant.CIFAR10, settings(root, true, null), elsewhere))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith(
                        "Dataset 'cifar10': setting 'root' = '" + root + "' lacks data_batch_3.bin")
                .hasMessageContaining("'./runner data fetch cifar10 --dir DIR'")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
        assertThatThrownBy(
                        () ->
                                create(
                                        CifarVariant.CIFAR10,
                                        settings(temporary.resolve("none"), true, null)))
                .hasMessageContaining("' is not a directory.");
    }

    @Test
    void testTruncatedFileIsNamed() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR100, 3, 2);
        Path train = root.resolve("train.bin");
        byte[] whole = TestingCifarFiles.records(CifarVariant.CIFAR100, 0, 3);
        TestingCifarFiles.write(train, Arrays.copyOf(whole, whole.length - 100));
        CifarDataset dataset = create(CifarVariant.CIFAR100, settings(root, true, "fine"));

        assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(2);
        assertThatThrownBy(() -> dataset.getSplit(Split.TRAIN))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("File '" + train + "' is not valid CIFAR data")
                .hasMessageContaining(
                        "its 9122 bytes are not a whole, positive number of 3074-byte records")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
        TestingCifarFiles.write(train, new byte[0]);
        assertThatThrownBy(
                        () ->
                                create(CifarVariant.CIFAR100, settings(root, true, "fine"))
                                        .getSplit(Split.TRAIN))
                .hasMessageContaining("its 0 bytes");
    }

    @Test
    void testLabelOutOfRangeIsNamed() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR10, 2, 3);
        Path test = root.resolve("test_batch.bin");
        byte[] records = TestingCifarFiles.records(CifarVariant.CIFAR10, 0, 3);
        records[2 * CifarVariant.CIFAR10.getRecordLength()] = 10;
        TestingCifarFiles.write(test, records);
        Path root100 = temporary.resolve("root100");
        TestingCifarFiles.write(root100, CifarVariant.CIFAR100, 2, 2);
        byte[] records100 = TestingCifarFiles.records(CifarVariant.CIFAR100, 0, 2);
        records100[0] = 20; // coarse label of record 0
        TestingCifarFiles.write(root100.resolve("test.bin"), records100);

        assertThatThrownBy(
                        () ->
                                create(CifarVariant.CIFAR10, settings(root, true, null))
                                        .getSplit(Split.TEST))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("File '" + test + "'")
                .hasMessageContaining("record 2 has label 10, outside 0..9");
        // the fine labels are in range, so only the coarse mode rejects the file
        assertThat(
                        create(CifarVariant.CIFAR100, settings(root100, true, "fine"))
                                .getSplit(Split.TEST)
                                .size())
                .isEqualTo(2);
        assertThatThrownBy(
                        () ->
                                create(CifarVariant.CIFAR100, settings(root100, true, "coarse"))
                                        .getSplit(Split.TEST))
                .hasMessageContaining("File '" + root100.resolve("test.bin") + "'")
                .hasMessageContaining("record 0 has coarse label 20, outside 0..19");
    }

    @Test
    void testMissingClassNamesAreNoneAndWrongOnesAreNamed() {
        Path root = temporary.resolve("root");
        TestingCifarFiles.write(root, CifarVariant.CIFAR10, 1, 1);
        deleteQuietly(root.resolve("batches.meta.txt"));
        assertThat(create(CifarVariant.CIFAR10, settings(root, true, null)).getClassNames())
                .isEmpty();

        TestingCifarFiles.write(root.resolve("batches.meta.txt"), "cat\ndog\n".getBytes());
        assertThatThrownBy(
                        () ->
                                create(CifarVariant.CIFAR10, settings(root, true, null))
                                        .getClassNames())
                .hasMessageContaining("File '" + root.resolve("batches.meta.txt") + "'")
                .hasMessageContaining("it names 2 classes, CIFAR-10 has 10");
    }

    /**
     * The expected inputs: channel-major planes, normalised with per-channel statistics when given.
     */
    private static float[] expectedPixels(int[] samples, double[] means, double[] deviations) {
        float[] expected = new float[samples.length * PIXELS];
        for (int i = 0; i < samples.length; i++) {
            for (int position = 0; position < PIXELS; position++) {
                double scaled = pixel(samples[i], position) / 255.0;
                int channel = position / 1024;
                expected[i * PIXELS + position] =
                        (float)
                                (means == null
                                        ? scaled
                                        : (scaled - means[channel]) / deviations[channel]);
            }
        }
        return expected;
    }

    private static Config settings(Path root, boolean normalize, String label) {
        Config settings =
                ConfigFactory.parseMap(Map.of("root", root.toString(), "normalize", normalize));
        return label == null
                ? settings
                : settings.withFallback(ConfigFactory.parseMap(Map.of("label", label)));
    }

    private CifarDataset create(CifarVariant variant, Config settings, Path... searchPath) {
        CifarDatasetFactory factory = factory(variant);
        Config merged = settings.withFallback(factory.getDefaults()).resolve();
        // the dataset keeps nothing of the context: it reads its files into the heap
        try (TestingFadContext context =
                TestingFadContext.builder()
                        .workDirectory(temporary)
                        .dataSearchPath(searchPath)
                        .build()) {
            return (CifarDataset) factory.create(merged, context);
        }
    }

    static CifarDatasetFactory factory(CifarVariant variant) {
        // nothing listens on port 9: a test that downloads by mistake fails instead of reaching out
        return new CifarDatasetFactory(
                variant,
                URI.create("http://127.0.0.1:9/" + variant.getArchiveName()),
                variant.getOfficialArchiveMd5());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
