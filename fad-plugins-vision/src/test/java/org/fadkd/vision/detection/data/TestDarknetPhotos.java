package org.fadkd.vision.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.fadkd.vision.detection.DetectionLabels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

/**
 * Datasets {@code coco} and {@code voc} on real photos (Debian darknet's demo photos, boxes placed
 * by hand, the same in both formats; see the fixture's README).
 */
final class TestDarknetPhotos {
    static final List<String> CLASSES = List.of("person", "bicycle", "car", "bird", "dog", "horse", "zebra",
            "giraffe", "kite");
    private static final String INPUT = "image-size = 64, augment = false, normalize = false";

    static Path fixture() throws Exception {
        return Path.of(TestDarknetPhotos.class.getResource("/org/fadkd/vision/detection/darknet").toURI());
    }

    static String cocoSection(Path root) {
        return "type = coco, root = \"" + root + "\", train-annotations = annotations/instances_train.json,"
                + " train-images = JPEGImages, test-annotations = annotations/instances_test.json,"
                + " test-images = JPEGImages, " + INPUT;
    }

    static String vocSection(Path root) {
        return "type = voc, root = \"" + root + "\", train-split = train, test-split = test, classes = ["
                + String.join(", ", CLASSES) + "], " + INPUT;
    }

    @Test
    void testCocoMapsItsCategoryIdsToContiguousClassesInIdOrder() throws Exception {
        AnnotatedSet train = CocoFormat.read(fixture().resolve("annotations/instances_train.json"),
                fixture().resolve("JPEGImages"));
        assertThat(train.classNames()).isEqualTo(CLASSES);
        assertThat(train.images()).extracting(image -> image.file().getFileName().toString())
                .containsExactly("dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg");
        AnnotatedImage dog = train.images().get(0);
        assertThat(dog.width()).isEqualTo(320);
        assertThat(dog.height()).isEqualTo(240);
        // category 18 (dog) is the fifth id; bbox [55, 92, 73, 133] is (55, 92, 128, 225)
        assertThat(dog.objects().get(0)).isEqualTo(new AnnotatedObject(55, 92, 128, 225, 4, false));
        AnnotatedImage kite = CocoFormat.read(fixture().resolve("annotations/instances_test.json"),
                fixture().resolve("JPEGImages")).images().get(0);
        // category 38 (kite) is the last; the crowd of distant people is ignored
        assertThat(kite.objects().get(0).category()).isEqualTo(8);
        assertThat(kite.objects()).filteredOn(AnnotatedObject::ignored)
                .containsExactly(new AnnotatedObject(0, 117, 45, 137, 0, true));
    }

    @Test
    void testCocoAndVocReadTheSameObjects() throws Exception {
        for (String split : List.of("train", "test")) {
            AnnotatedSet coco = CocoFormat.read(fixture().resolve("annotations/instances_" + split + ".json"),
                    fixture().resolve("JPEGImages"));
            AnnotatedSet voc = VocFormat.read(fixture(), split, CLASSES);
            assertThat(voc.images()).hasSameSizeAs(coco.images());
            for (int i = 0; i < coco.images().size(); i++) {
                AnnotatedImage fromCoco = coco.images().get(i);
                AnnotatedImage fromVoc = voc.images().get(i);
                assertThat(fromVoc.file()).isEqualTo(fromCoco.file());
                assertThat(fromVoc.width()).isEqualTo(fromCoco.width());
                assertThat(fromVoc.height()).isEqualTo(fromCoco.height());
                assertThat(fromVoc.objects()).as(fromCoco.entry()).isEqualTo(fromCoco.objects());
            }
        }
    }

    @Test
    void testBothDatasetsGiveTheSameLetterboxedBatches() throws Exception {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            LabeledDataset coco = context.create(ComponentKind.DATASET, cocoSection(fixture()));
            LabeledDataset voc = context.create(ComponentKind.DATASET, vocSection(fixture()));
            assertThat(coco.getClassNames()).isEqualTo(CLASSES).isEqualTo(voc.getClassNames());
            assertThat(coco.getSampleShape()).isEqualTo(new Shape(3, 64, 64));
            assertThat(coco.hasValidationSplit()).isFalse();
            assertThat(coco.getSplit(Split.VALIDATION)).isSameAs(coco.getSplit(Split.TEST));
            int[] all = {0, 1, 2, 3};
            LabeledBatch fromCoco = coco.getSplit(Split.TRAIN).getBatch(manager, all);
            LabeledBatch fromVoc = voc.getSplit(Split.TRAIN).getBatch(manager, all);

            assertThat(fromCoco.inputs().head().getShape()).isEqualTo(new Shape(4, 3, 64, 64));
            assertThat(fromCoco.inputs().head().toFloatArray()).isEqualTo(fromVoc.inputs().head().toFloatArray());
            DetectionLabels labels = DetectionLabels.of(fromCoco.labels());
            DetectionLabels vocLabels = DetectionLabels.of(fromVoc.labels());
            // horses.jpg has the most objects: 5
            assertThat(labels.boxes().getShape()).isEqualTo(new Shape(4, 5, 4));
            assertThat(labels.boxes().toFloatArray()).isEqualTo(vocLabels.boxes().toFloatArray());
            assertThat(labels.classes().toLongArray()).isEqualTo(vocLabels.classes().toLongArray());
            // dog.jpg, 320 × 240, scaled by 64 / 320 = 0.2: its dog (55, 92, 128, 225) at (11, 18.4, 25.6, 45)
            assertThat(labels.boxes().get(0, 0).toFloatArray()).containsExactly(new float[] {11f, 18.4f, 25.6f, 45f},
                    withPrecision(1e-5f));
            // dog.jpg: dog, bicycle, car, then two padding slots; eagle.jpg: bird and four paddings
            assertThat(labels.classes().toLongArray()).startsWith(4, 1, 2, -1, -1, 3, -1, -1, -1, -1);
            // the letterboxed dog.jpg is 64 × 48: the rows below are padding (0, not normalised)
            float[] dog = fromCoco.inputs().head().get(0).toFloatArray();
            assertThat(dog[48 * 64 + 10]).isZero();
            assertThat(dog[47 * 64 + 10]).isPositive();

            LabeledDataset test = context.create(ComponentKind.DATASET, cocoSection(fixture()));
            long[] ignored = DetectionLabels.of(test.getSplit(Split.TEST).getBatch(manager, new int[] {0, 2}).labels())
                    .ignored().toLongArray();
            // kite.jpg: four objects, then the crowd; scream.jpg: the screamer, then the background pair
            assertThat(ignored).containsExactly(0, 0, 0, 0, 1, 0, 1, 0, 0, 0);
        }
    }

    @Test
    void testTheFingerprintFollowsTheBoxesNotTheFormat() throws Exception {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            LabeledDataset coco = context.create(ComponentKind.DATASET, cocoSection(fixture()));
            LabeledDataset again = context.create(ComponentKind.DATASET, cocoSection(fixture()));
            LabeledDataset larger = context.create(ComponentKind.DATASET,
                    cocoSection(fixture()).replace("image-size = 64", "image-size = 96"));
            assertThat(coco.getFingerprint()).startsWith("sha256:").isEqualTo(again.getFingerprint())
                    .isNotEqualTo(larger.getFingerprint());
        }
    }
}
