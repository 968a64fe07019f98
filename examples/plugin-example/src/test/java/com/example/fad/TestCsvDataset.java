package com.example.fad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset {@code csv}, created through fad-engine's plugin test kit exactly as the runner creates
 * it: the section merged over {@code defaults/csv.conf}, unknown keys rejected. Every file is
 * written by the test.
 */
final class TestCsvDataset {
    /** Five samples of three features; labels 0, 2, 1, 0, 1 (three classes). */
    private static final String FIVE_ROWS = """
            width,height,depth,label
            0.5,1.0,-2.0,0
            1.5,2.0,3.0,2
            2.5,3.0,4.0,1
            3.5,4.0,5.0,0
            4.5,5.0,6.0,1
            """;

    @Test
    void testSplitsSizesSampleShapeClassesAndABatch(@TempDir Path directory) throws IOException {
        Path file = write(directory.resolve("boxes.csv"), FIVE_ROWS);
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset dataset = context.create(ComponentKind.DATASET, "type = csv, file = \"" + file + "\"");

            // test-fraction 0.2 of 5 rows: the last row tests, the first four train.
            DataSplit train = dataset.getSplit(Split.TRAIN);
            DataSplit test = dataset.getSplit(Split.TEST);
            assertThat(train.size()).isEqualTo(4);
            assertThat(test.size()).isEqualTo(1);
            assertThat(dataset.getSplit(Split.VALIDATION)).isSameAs(test);
            assertThat(dataset.getSampleShape()).isEqualTo(new Shape(3));
            assertThat(dataset.getClassCount()).isEqualTo(3);
            assertThat(train.getClassLabels(manager)).containsExactly(0, 2, 1, 0);

            LabeledBatch batch = train.getBatch(manager, new int[] {3, 1});
            NDArray inputs = batch.inputs().singletonOrThrow();
            NDArray labels = batch.labels().singletonOrThrow();
            assertThat(inputs.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(inputs.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(inputs.toFloatArray()).containsExactly(new float[] {3.5f, 4f, 5f, 1.5f, 2f, 3f}, withPrecision(0f));
            assertThat(labels.getDataType()).isEqualTo(DataType.INT64);
            assertThat(labels.toLongArray()).containsExactly(0L, 2L);

            LabeledBatch held = test.getBatch(manager, new int[] {0});
            assertThat(held.inputs().singletonOrThrow().toFloatArray()).containsExactly(4.5f, 5f, 6f);
            assertThat(held.labels().singletonOrThrow().toLongArray()).containsExactly(1L);
        }
    }

    @Test
    void testLabelColumnDelimiterSampleShapeAndClassesAreHonoured(@TempDir Path directory) throws IOException {
        // No header, ';' between fields, the label first, four features as a (1, 2, 2) image.
        Path file = write(directory.resolve("images.csv"), """
                1;0;0.25;0.5;1
                0;1;1;1;1

                3;9;8;7;6
                """);
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset dataset = context.create(ComponentKind.DATASET, "type = csv, file = \"" + file + "\", "
                    + "header = false, delimiter = \";\", label-column = 0, sample-shape = [1, 2, 2], classes = 5, "
                    + "test-fraction = 0.5");

            // Two of three rows (the blank line is skipped) would be 1.5; rounding gives 2 test rows.
            assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(1);
            assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(2);
            assertThat(dataset.getSampleShape()).isEqualTo(new Shape(1, 2, 2));
            assertThat(dataset.getClassCount()).isEqualTo(5);
            LabeledBatch batch = dataset.getSplit(Split.TEST).getBatch(manager, new int[] {1, 0});
            assertThat(batch.inputs().singletonOrThrow().getShape()).isEqualTo(new Shape(2, 1, 2, 2));
            assertThat(batch.inputs().singletonOrThrow().toFloatArray())
                    .containsExactly(new float[] {9, 8, 7, 6, 1, 1, 1, 1}, withPrecision(0f));
            assertThat(batch.labels().singletonOrThrow().toLongArray()).containsExactly(3L, 0L);
        }
    }

    @Test
    void testDefaultsAreTheDocumentedOnesAndAFileIsRequired() {
        Config defaults = new CsvDatasetFactory().getDefaults();
        assertThat(defaults.getString("file")).isEmpty();
        assertThat(defaults.getBoolean("header")).isTrue();
        assertThat(defaults.getInt("label-column")).isEqualTo(-1);
        assertThat(defaults.getString("delimiter")).isEqualTo(",");
        assertThat(defaults.getDouble("test-fraction")).isEqualTo(0.2);
        assertThat(defaults.getInt("classes")).isZero();
        assertThat(defaults.getIntList("sample-shape")).isEmpty();
        assertThat(new CsvDatasetFactory().getLocationKeys()).containsExactly("file");

        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = csv"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Setting 'file' of dataset 'csv' is ''")
                    .hasMessageContaining("the path of a CSV file");
        }
    }

    @Test
    void testUnknownKeysAndBadValuesAreAllReported(@TempDir Path directory) throws IOException {
        Path file = write(directory.resolve("boxes.csv"), FIVE_ROWS);
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = csv, file = \"" + file + "\", lable-column = 0"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("'lable-column'")
                    .hasMessageContaining("is not used by dataset 'csv'")
                    .hasMessageContaining("Did you mean 'label-column'?");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = csv, file = \"" + file + "\", test-fraction = 1, delimiter = \".\""))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Setting 'test-fraction' of dataset 'csv' is '1'")
                    .hasMessageContaining("Setting 'delimiter' of dataset 'csv' is '.'")
                    .hasMessageContaining("2 errors");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = csv, file = \"" + file + "\", sample-shape = [2, 2]"))
                    .hasMessageContaining("sizes must multiply to 3");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = csv, file = \"" + file + "\", classes = 2"))
                    .hasMessageContaining("has label 2; labels must lie in [0, classes)");
        }
    }

    @Test
    void testCheckReadsTheSettingsAsCreateDoesWithoutOpeningTheFile(@TempDir Path directory) {
        CsvDatasetFactory factory = new CsvDatasetFactory();
        // check never opens the file: an absent one is create's DATA_MISSING, not a settings error.
        String absent = directory.resolve("absent.csv").toString();
        factory.check(ConfigFactory.parseMap(java.util.Map.of("file", absent)).withFallback(factory.getDefaults()));
        assertThatThrownBy(() -> factory.check(factory.getDefaults()))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'file' of dataset 'csv' is ''");

        // The host's validation (runner validate, and every job before the first trains) calls check.
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin())) {
            List<String> problems = new ComponentBinder(context.getRegistry()).validate(ComponentKind.DATASET, "data",
                    ConfigFactory.parseString("type = csv, file = \"" + absent + "\", test-fraction = 1,"
                            + " delimiter = \".\""));
            assertThat(String.join("\n", problems))
                    .contains("test-fraction")
                    .contains("delimiter")
                    .doesNotContain("does not exist");
            assertThat(new ComponentBinder(context.getRegistry()).validate(ComponentKind.DATASET, "data",
                    ConfigFactory.parseString("type = csv, file = \"" + absent + "\""))).isEmpty();
        }
    }

    @Test
    void testMissingFilesAndMalformedRowsNameWhatIsWrong(@TempDir Path directory) throws IOException {
        Path ragged = write(directory.resolve("ragged.csv"), "a,b,label\n1,2,0\n3,1\n");
        Path words = write(directory.resolve("words.csv"), "a,b,label\n1,2,0\n3,four,1\n");
        Path negative = write(directory.resolve("negative.csv"), "a,b,label\n1,2,0\n3,4,-1\n");
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = csv, file = \"" + directory.resolve("absent.csv") + "\""))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("absent.csv' (setting 'file') does not exist")
                    .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING));
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = csv, file = \"" + ragged + "\""))
                    .hasMessageContaining("line 3 of '" + ragged + "' is malformed: it has 2 fields, line 2 has 3");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = csv, file = \"" + words + "\""))
                    .hasMessageContaining("line 3 of '" + words + "' is malformed: column 1 is 'four', not a finite number");
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = csv, file = \"" + negative + "\""))
                    .hasMessageContaining("its label (column 2) is '-1', not a class index >= 0");
        }
    }

    @Test
    void testTheFingerprintFollowsTheContentAndTheSplitsNotTheLocation(@TempDir Path directory) throws IOException {
        Path here = write(directory.resolve("here.csv"), FIVE_ROWS);
        Path there = write(directory.resolve("elsewhere/there.csv"), FIVE_ROWS);
        Path changed = write(directory.resolve("changed.csv"), FIVE_ROWS.replace("4.5,5.0,6.0,1", "4.5,5.0,6.5,1"));
        try (TestingFadContext context = TestingFadContext.of(new ExamplePlugin())) {
            String original = fingerprint(context, here, "");
            assertThat(original).startsWith("sha256:");
            assertThat(fingerprint(context, there, "")).as("the same bytes elsewhere").isEqualTo(original);
            assertThat(List.of(original, fingerprint(context, changed, ""),
                            fingerprint(context, here, ", test-fraction = 0.4")))
                    .as("other bytes, other splits")
                    .doesNotHaveDuplicates();
        }
    }

    private static String fingerprint(TestingFadContext context, Path file, String settings) {
        return context.create(ComponentKind.DATASET, "type = csv, file = \"" + file + "\"" + settings).getFingerprint();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
