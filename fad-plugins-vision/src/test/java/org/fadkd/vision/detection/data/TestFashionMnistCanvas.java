package org.fadkd.vision.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.fadkd.vision.detection.DetectionLabels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Dataset {@code fashion-mnist-canvas} on a small synthetic Fashion-MNIST whose items are plain
 * rectangles: boxes sit on their items, the set is deterministic, and the files it writes read
 * back through {@code coco} and {@code voc} (the repository's {@code canvas-coco} and {@code
 * canvas-voc} options) with the same boxes and pixels.
 */
final class TestFashionMnistCanvas {
    private static final int ITEMS = 30;
    /** The repository's {@code data} config group, {@code configs/data/<option>.conf}. */
    private static final Path DATA_OPTIONS =
            Path.of(System.getProperty("basedir", ".")).resolveSibling("configs").resolve("data");
    private static final String SMALL = "train-size = 12, test-size = 6, canvas-size = 48, min-object-size = 12,"
            + " max-object-size = 24, augment = false, normalize = false, image-size = 48";

    @TempDir
    Path temporary;
    private Path fashionMnist;

    @BeforeEach
    void writeFashionMnist() throws IOException {
        fashionMnist = Files.createDirectories(temporary.resolve("fashion-mnist"));
        for (String split : List.of("train", "t10k")) {
            byte[] pixels = new byte[ITEMS * 28 * 28];
            byte[] labels = new byte[ITEMS];
            for (int item = 0; item < ITEMS; item++) {
                // item i: a white rectangle, rows 4 + i % 5 .. 19, columns 6 + i % 4 .. 21; item 7 is blank
                for (int y = 4 + item % 5; y < 20 && item != 7; y++) {
                    for (int x = 6 + item % 4; x < 22; x++) {
                        pixels[item * 784 + y * 28 + x] = (byte) 255;
                    }
                }
                labels[item] = (byte) (item % 10);
            }
            Files.write(fashionMnist.resolve(split + "-images-idx3-ubyte"), idx(0x0803, new int[] {ITEMS, 28, 28}, pixels));
            Files.write(fashionMnist.resolve(split + "-labels-idx1-ubyte"), idx(0x0801, new int[] {ITEMS}, labels));
        }
    }

    private static byte[] idx(int magic, int[] dimensions, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + data.length);
        buffer.putInt(magic);
        for (int dimension : dimensions) {
            buffer.putInt(dimension);
        }
        return buffer.put(data).array();
    }

    private LabeledDataset canvas(TestingFadContext context, String settings) {
        return context.create(ComponentKind.DATASET, "type = fashion-mnist-canvas, root = \"" + fashionMnist + "\", "
                + settings);
    }

    @Test
    void testBoxesSitTightlyOnTheirItems() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            FashionMnistCanvasDataset dataset = (FashionMnistCanvasDataset) canvas(context, SMALL);
            assertThat(dataset.getClassNames()).hasSize(10).startsWith("T-shirt/top");
            DetectionSplit train = (DetectionSplit) dataset.getSplit(Split.TRAIN);
            assertThat(train.size()).isEqualTo(12);
            int objects = 0;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int i = 0; i < train.size(); i++) {
                    AnnotatedImage canvas = train.getAnnotation(i);
                    assertThat(canvas.objects().size()).isBetween(0, 4);
                    objects += canvas.objects().size();
                    float[] pixels = train.getBatch(manager, new int[] {i}).inputs().head().toFloatArray();
                    for (int y = 0; y < 48; y++) {
                        for (int x = 0; x < 48; x++) {
                            if (pixels[y * 48 + x] >= CanvasGenerator.BOX_THRESHOLD) {
                                int px = x;
                                int py = y;
                                // every visible pixel belongs to some item's box
                                assertThat(canvas.objects()).as("canvas %d pixel (%d, %d)", i, x, y).anyMatch(o ->
                                        px >= o.x1() && px < o.x2() && py >= o.y1() && py < o.y2());
                            }
                        }
                    }
                    for (AnnotatedObject box : canvas.objects()) {
                        // tight: each edge row and column of the box holds a visible pixel
                        assertThat(visibleIn(pixels, (int) box.x1(), (int) box.y1(), (int) box.x1() + 1, (int) box.y2()))
                                .isTrue();
                        assertThat(visibleIn(pixels, (int) box.x2() - 1, (int) box.y1(), (int) box.x2(), (int) box.y2()))
                                .isTrue();
                        assertThat(visibleIn(pixels, (int) box.x1(), (int) box.y1(), (int) box.x2(), (int) box.y1() + 1))
                                .isTrue();
                        assertThat(visibleIn(pixels, (int) box.x1(), (int) box.y2() - 1, (int) box.x2(), (int) box.y2()))
                                .isTrue();
                        // the rectangles fill their boxes: the centre is white
                        int cx = (int) ((box.x1() + box.x2()) / 2);
                        int cy = (int) ((box.y1() + box.y2()) / 2);
                        assertThat(pixels[cy * 48 + cx]).isEqualTo(1f);
                    }
                }
            }
            assertThat(objects).isGreaterThan(12);
        }
    }

    private static boolean visibleIn(float[] pixels, int x1, int y1, int x2, int y2) {
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                if (pixels[y * 48 + x] >= CanvasGenerator.BOX_THRESHOLD) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void testTheSetDependsOnTheGeneratorSeedOnly() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset first = canvas(context, SMALL);
            LabeledDataset again = canvas(context, SMALL);
            LabeledDataset larger = canvas(context, SMALL.replace("train-size = 12", "train-size = 20"));
            LabeledDataset reseeded = canvas(context, SMALL + ", generator-seed = 5");
            int[] indices = IntStream.range(0, 12).toArray();
            float[] pixels = first.getSplit(Split.TRAIN).getBatch(manager, indices).inputs().head().toFloatArray();
            assertThat(again.getSplit(Split.TRAIN).getBatch(manager, indices).inputs().head().toFloatArray())
                    .isEqualTo(pixels);
            // canvas i does not depend on how many there are
            assertThat(larger.getSplit(Split.TRAIN).getBatch(manager, indices).inputs().head().toFloatArray())
                    .isEqualTo(pixels);
            assertThat(reseeded.getSplit(Split.TRAIN).getBatch(manager, indices).inputs().head().toFloatArray())
                    .isNotEqualTo(pixels);
            assertThat(first.getFingerprint()).isEqualTo(again.getFingerprint())
                    .isNotEqualTo(larger.getFingerprint()).isNotEqualTo(reseeded.getFingerprint());
            // train and test canvases draw differently
            assertThat(first.getSplit(Split.TEST).getBatch(manager, new int[] {0}).inputs().head().toFloatArray())
                    .isNotEqualTo(first.getSplit(Split.TRAIN).getBatch(manager, new int[] {0}).inputs().head()
                            .toFloatArray());
            assertThat(first.getSplit(Split.VALIDATION)).isSameAs(first.getSplit(Split.TEST));
        }
    }

    @Test
    void testGreyIsReplicatedAndLabelsArePadded() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset dataset = canvas(context, SMALL.replace("normalize = false", "normalize = true"));
            assertThat(dataset.getSampleShape()).isEqualTo(new Shape(3, 48, 48));
            LabeledBatch batch = dataset.getSplit(Split.TRAIN).getBatch(manager, new int[] {0, 1, 2});
            float[] values = batch.inputs().head().get(0).toFloatArray();
            int plane = 48 * 48;
            for (int i = 0; i < plane; i++) {
                assertThat(values[plane + i]).isEqualTo(values[i]).isEqualTo(values[2 * plane + i]);
                assertThat(values[i]).isBetween(-1f, 1f); // (x - 0.5) / 0.5
            }
            DetectionLabels labels = DetectionLabels.of(batch.labels());
            long[] classes = labels.classes().toLongArray();
            long slots = labels.classes().getShape().get(1);
            for (int b = 0; b < 3; b++) {
                int count = ((DetectionSplit) dataset.getSplit(Split.TRAIN)).getAnnotation(b).objects().size();
                for (int k = 0; k < slots; k++) {
                    assertThat(classes[(int) (b * slots + k)] == DetectionLabels.PADDING).isEqualTo(k >= count);
                }
            }
            assertThat(labels.ignored().toLongArray()).containsOnly(0L);
            assertThat(dataset.getSplit(Split.TRAIN).getClassLabels(manager)).isNull();
        }
    }

    @Test
    void testTrainingBatchesAreDrawnFromSeedEpochAndIndex() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            DataSplit train = canvas(context, SMALL.replace("augment = false", "augment = true"))
                    .getSplit(Split.TRAIN);
            assertThat(train.hasRandomTrainingBatches()).isTrue();
            float[] epoch1 = train.getTrainingBatch(manager, new int[] {3, 4}, 7, 1).inputs().head().toFloatArray();
            float[] alone = train.getTrainingBatch(manager, new int[] {4}, 7, 1).inputs().head().toFloatArray();
            float[] epoch2 = train.getTrainingBatch(manager, new int[] {3, 4}, 7, 2).inputs().head().toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(epoch1, 3 * 48 * 48, 6 * 48 * 48)).isEqualTo(alone);
            assertThat(epoch2).isNotEqualTo(epoch1);
        }
    }

    @Test
    void testWrittenFilesReadBackThroughCocoAndVoc() throws IOException {
        Path written = temporary.resolve("written");
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset canvas = canvas(context, SMALL);
            assertThat(canvas.canWriteFiles()).isTrue();
            assertThat(canvas.writeFiles(written)).contains("12 training and 6 test canvases");
            assertThat(written.resolve("JPEGImages/train-000011.png")).exists();
            assertThat(written.resolve("ImageSets/Main/test.txt")).hasContent(
                    "test-000000\ntest-000001\ntest-000002\ntest-000003\ntest-000004\ntest-000005");
            // the repository's options for these files, at this test's size and without normalisation
            String overrides = "root = \"" + written + "\", image-size = 48, augment = false, normalize = false";
            LabeledDataset coco = context.createComponent(ComponentKind.DATASET, ConfigFactory.parseString(overrides)
                    .withFallback(ConfigFactory.parseFile(DATA_OPTIONS.resolve("canvas-coco.conf").toFile())));
            LabeledDataset voc = context.createComponent(ComponentKind.DATASET, ConfigFactory.parseString(overrides)
                    .withFallback(ConfigFactory.parseFile(DATA_OPTIONS.resolve("canvas-voc.conf").toFile())));
            assertThat(coco.getClassNames()).isEqualTo(canvas.getClassNames());
            for (Split split : List.of(Split.TRAIN, Split.TEST)) {
                int[] all = IntStream.range(0, canvas.getSplit(split).size()).toArray();
                LabeledBatch expected = canvas.getSplit(split).getBatch(manager, all);
                for (LabeledDataset read : List.of(coco, voc)) {
                    LabeledBatch actual = read.getSplit(split).getBatch(manager, all);
                    assertThat(actual.inputs().head().toFloatArray()).isEqualTo(expected.inputs().head().toFloatArray());
                    for (int k = 0; k < 3; k++) {
                        assertThat(actual.labels().get(k).getShape()).isEqualTo(expected.labels().get(k).getShape());
                        assertThat(actual.labels().get(k).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                                .toDoubleArray()).isEqualTo(expected.labels().get(k)
                                .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray());
                    }
                }
            }
            // a second write refuses the now non-empty directory
            assertThatThrownBy(() -> canvas.writeFiles(written)).isInstanceOf(FadException.class)
                    .hasMessageContaining("is not empty")
                    .extracting(error -> ((FadException) error).getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
        }
    }
}
