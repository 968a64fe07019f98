package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;
import static org.fadkd.vision.data.TestingFashionMnistFiles.PIXELS;
import static org.fadkd.vision.data.TestingFashionMnistFiles.idx;
import static org.fadkd.vision.data.TestingFashionMnistFiles.label;
import static org.fadkd.vision.data.TestingFashionMnistFiles.pixel;

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
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class TestFashionMnistDatasetFactory {
    @TempDir Path temporary;

    @Test
    void testDefaults() {
        Config defaults = factory(List.of()).getDefaults();

        assertThat(defaults.root().keySet()).containsExactlyInAnyOrder("root", "normalize");
        assertThat(FashionMnistSettings.from(defaults))
                .isEqualTo(new FashionMnistSettings(Optional.empty(), true));
    }

    @Test
    void testOnlyRootIsALocationKey() {
        FashionMnistDatasetFactory factory = factory(List.of());

        // normalize changes every pixel, so an export trained with one value must not be
        // evaluated with the other; root only says where the same files are.
        assertThat(factory.getLocationKeys()).containsExactly("root");
        assertThat(factory.getDefaults().root().keySet()).containsAll(factory.getLocationKeys());
    }

    @Test
    void testExplicitSettings() {
        Path root = temporary.resolve("data");
        Config settings =
                ConfigFactory.parseMap(Map.of("root", root.toString(), "normalize", false));

        assertThat(FashionMnistSettings.from(settings))
                .isEqualTo(new FashionMnistSettings(Optional.of(root), false));
    }

    @Test
    void testRejectsInvalidSetting() {
        Config settings = ConfigFactory.parseMap(Map.of("root", "", "normalize", "maybe"));

        assertThatThrownBy(() -> factory(List.of()).create(settings, context()))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("dataset 'fashion-mnist'")
                .hasMessageContaining("Setting 'normalize'")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testSearchesRootFirst() {
        Path root = temporary.resolve("root");
        Path searched = temporary.resolve("searched");
        TestingFashionMnistFiles.write(root, 3, 2, false);
        TestingFashionMnistFiles.write(searched.resolve("fashion-mnist"), 4, 2, false);

        FashionMnistDataset dataset = create(withRoot(root), List.of(), searched);

        assertThat(dataset.getDirectory()).isEqualTo(root);
        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(3);
    }

    @Test
    void testSearchesDataPathInOrderThenSystemDirectories() {
        Path first = temporary.resolve("first");
        Path second = temporary.resolve("second");
        Path system = temporary.resolve("system");
        TestingFashionMnistFiles.write(second.resolve("fashion-mnist"), 4, 2, true);
        TestingFashionMnistFiles.write(system, 5, 2, true);

        assertThat(create(ConfigFactory.empty(), List.of(system), first, second).getDirectory())
                .isEqualTo(second.resolve("fashion-mnist"));
        assertThat(create(ConfigFactory.empty(), List.of(system), first).getDirectory())
                .isEqualTo(system);
    }

    @Test
    void testSkipsIncompleteDirectoryOfTheSearchPath() throws Exception {
        Path first = temporary.resolve("first");
        Path second = temporary.resolve("second");
        TestingFashionMnistFiles.write(first.resolve("fashion-mnist"), 3, 2, false);
        Files.delete(first.resolve("fashion-mnist").resolve("t10k-labels-idx1-ubyte"));
        TestingFashionMnistFiles.write(second.resolve("fashion-mnist"), 4, 2, false);

        assertThat(create(ConfigFactory.empty(), List.of(), first, second).getDirectory())
                .isEqualTo(second.resolve("fashion-mnist"));
    }

    /** An explicit root is the data the user means: never replaced by a copy elsewhere (issue 17, item 9). */
    @Test
    void testAnIncompleteRootIsAnErrorNamingItAndTheMissingFiles() throws Exception {
        Path root = temporary.resolve("root");
        Path searched = temporary.resolve("searched");
        Path system = temporary.resolve("system");
        TestingFashionMnistFiles.write(root, 3, 2, false);
        Files.delete(root.resolve("t10k-labels-idx1-ubyte"));
        TestingFashionMnistFiles.write(searched.resolve("fashion-mnist"), 4, 2, false);
        TestingFashionMnistFiles.write(system, 4, 2, false);

        assertThatThrownBy(() -> create(withRoot(root), List.of(system), searched))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Dataset 'fashion-mnist': setting 'root' = '"
                                + root
                                + "' lacks t10k-labels-idx1-ubyte (raw or .gz). Put the four files"
                                + " there (each raw or .gz; './runner data fetch fashion-mnist --dir"
                                + " DIR' downloads them into DIR/fashion-mnist), or remove 'root' to"
                                + " use the data search path.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
    }

    @Test
    void testARootThatIsNoDirectoryIsAnErrorEvenWithTheSystemCopyInstalled() {
        Path root = temporary.resolve("absent");
        Path system = temporary.resolve("system");
        TestingFashionMnistFiles.write(system, 4, 2, false);

        assertThatThrownBy(() -> create(withRoot(root), List.of(system)))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith(
                        "Dataset 'fashion-mnist': setting 'root' = '" + root + "' is not a directory.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
    }

    @Test
    void testMissingDataNamesEverythingSearchedAndHowToGetIt() throws Exception {
        Path absent = temporary.resolve("absent");
        Path partial = temporary.resolve("partial");
        Path system = temporary.resolve("system");
        TestingFashionMnistFiles.write(partial.resolve("fashion-mnist"), 3, 2, true);
        Files.delete(partial.resolve("fashion-mnist").resolve("t10k-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> create(ConfigFactory.empty(), List.of(system), absent, partial))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Dataset 'fashion-mnist' not found")
                .hasMessageContaining(
                        "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                                + " t10k-labels-idx1-ubyte (each raw or .gz)")
                .hasMessageContaining(
                        "1. '"
                                + absent.resolve("fashion-mnist")
                                + "' (data search path): no such directory")
                .hasMessageContaining(
                        "2. '"
                                + partial.resolve("fashion-mnist")
                                + "' (data search path): missing t10k-labels-idx1-ubyte")
                .hasMessageContaining("3. '" + system + "' (Debian package dataset-fashion-mnist)")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
                .hasMessageContaining("./runner data fetch fashion-mnist")
                .hasMessageContaining("~/.fad/data")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
    }

    @Test
    void testValidationIsTheTestSplit() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, true);

        LabeledDataset dataset = create(withRoot(root), List.of());

        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(5);
        assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(3);
        assertThat(dataset.getSplit(Split.VALIDATION)).isSameAs(dataset.getSplit(Split.TEST));
        assertThat(dataset.getSampleShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(dataset.getClassCount()).isEqualTo(10);
    }

    @Test
    void testBatchShapesTypesAndScaledValues() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, false);
        DataSplit train =
                create(
                                withRoot(root)
                                        .withFallback(
                                                ConfigFactory.parseMap(Map.of("normalize", false))),
                                List.of())
                        .getSplit(Split.TRAIN);

        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledBatch batch = train.getBatch(manager, new int[] {4, 0, 4});

            NDArray inputs = batch.inputs().singletonOrThrow();
            NDArray labels = batch.labels().singletonOrThrow();
            assertThat(inputs.getShape()).isEqualTo(new Shape(3, 1, 28, 28));
            assertThat(inputs.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(inputs.getManager()).isSameAs(manager);
            assertThat(labels.getShape()).isEqualTo(new Shape(3));
            assertThat(labels.getDataType()).isEqualTo(DataType.INT64);
            assertThat(labels.getManager()).isSameAs(manager);
            assertThat(labels.toLongArray()).containsExactly(label(4), label(0), label(4));
            assertThat(inputs.toFloatArray())
                    .containsExactly(
                            expectedPixels(new int[] {4, 0, 4}, false), withPrecision(1e-7f));
            assertThat(inputs.max().getFloat()).isEqualTo(1f);
            assertThat(inputs.min().getFloat()).isEqualTo(0f);
        }
    }

    @Test
    void testBatchNormalisedValues() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, true);
        DataSplit test = create(withRoot(root), List.of()).getSplit(Split.TEST);

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray inputs = test.getBatch(manager, new int[] {2, 1}).inputs().singletonOrThrow();

            assertThat(inputs.toFloatArray())
                    .containsExactly(expectedPixels(new int[] {2, 1}, true), withPrecision(1e-6f));
            // black and white pixels, both present in the synthetic images
            assertThat(inputs.min().getFloat())
                    .isCloseTo((float) (-0.2860 / 0.3530), withPrecision(1e-6f));
            assertThat(inputs.max().getFloat())
                    .isCloseTo((float) ((1 - 0.2860) / 0.3530), withPrecision(1e-6f));
        }
    }

    @Test
    void testRejectsIndexOutsideSplit() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, false);
        DataSplit test = create(withRoot(root), List.of()).getSplit(Split.TEST);

        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> test.getBatch(manager, new int[] {0, 3}))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("sample index 3 outside [0, 3)");
            assertThatThrownBy(() -> test.getBatch(manager, new int[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void testFingerprintIdentifiesContent() {
        Path raw = temporary.resolve("raw");
        Path gzip = temporary.resolve("gzip");
        Path other = temporary.resolve("other");
        TestingFashionMnistFiles.write(raw, 5, 3, false);
        TestingFashionMnistFiles.write(gzip, 5, 3, true);
        TestingFashionMnistFiles.write(other, 5, 4, false);

        String fingerprint = create(withRoot(raw), List.of()).getFingerprint();

        assertThat(fingerprint).matches("sha256:[0-9a-f]{64}");
        assertThat(create(withRoot(gzip), List.of()).getFingerprint()).isEqualTo(fingerprint);
        assertThat(create(withRoot(other), List.of()).getFingerprint()).isNotEqualTo(fingerprint);
    }

    @Test
    void testRejectsLabelOutOfRange() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, false);
        Path labels =
                TestingFashionMnistFiles.write(
                        root,
                        FashionMnistFile.TEST_LABELS,
                        idx(new int[] {3}, new byte[] {1, 10, 2}),
                        false);
        LabeledDataset dataset = create(withRoot(root), List.of());

        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(5);
        assertThatThrownBy(() -> dataset.getSplit(Split.TEST))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("File '" + labels + "'")
                .hasMessageContaining("label 1 is 10, outside 0..9");
    }

    @Test
    void testRejectsCountMismatchAndWrongImageSize() {
        Path root = temporary.resolve("root");
        TestingFashionMnistFiles.write(root, 5, 3, false);
        Path labels =
                TestingFashionMnistFiles.write(
                        root,
                        FashionMnistFile.TEST_LABELS,
                        idx(new int[] {2}, new byte[] {1, 2}),
                        false);
        Path images =
                TestingFashionMnistFiles.write(
                        root,
                        FashionMnistFile.TRAIN_IMAGES,
                        idx(new int[] {5, 14, 56}, new byte[5 * PIXELS]),
                        false);
        LabeledDataset dataset = create(withRoot(root), List.of());

        assertThatThrownBy(() -> dataset.getSplit(Split.TEST))
                .hasMessageContaining("File '" + labels + "'")
                .hasMessageContaining("it has 2 labels but");
        assertThatThrownBy(() -> dataset.getSplit(Split.TRAIN))
                .hasMessageContaining("File '" + images + "'")
                .hasMessageContaining("its images are 14×56");
    }

    private static float[] expectedPixels(int[] samples, boolean normalize) {
        float[] expected = new float[samples.length * PIXELS];
        for (int i = 0; i < samples.length; i++) {
            for (int position = 0; position < PIXELS; position++) {
                double scaled = pixel(samples[i], position) / 255.0;
                expected[i * PIXELS + position] =
                        (float) (normalize ? (scaled - 0.2860) / 0.3530 : scaled);
            }
        }
        return expected;
    }

    private FashionMnistDataset create(
            Config settings, List<Path> systemDirectories, Path... searchPath) {
        Config merged = settings.withFallback(factory(systemDirectories).getDefaults()).resolve();
        return (FashionMnistDataset) factory(systemDirectories).create(merged, context(searchPath));
    }

    private static Config withRoot(Path root) {
        return ConfigFactory.parseMap(Map.of("root", root.toString()));
    }

    private TestingFadContext context(Path... searchPath) {
        return TestingFadContext.builder()
                .workDirectory(temporary)
                .dataSearchPath(searchPath)
                .build();
    }

    static FashionMnistDatasetFactory factory(List<Path> systemDirectories) {
        // nothing listens on port 9: a test that downloads by mistake fails instead of reaching out
        return new FashionMnistDatasetFactory(
                URI.create("http://127.0.0.1:9/"),
                FashionMnistDatasetFactory.officialGzipMd5s(),
                systemDirectories);
    }
}
