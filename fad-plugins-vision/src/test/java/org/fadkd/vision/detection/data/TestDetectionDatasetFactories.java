package org.fadkd.vision.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** Settings of coco, voc and fashion-mnist-canvas: defaults, ranges, unknown keys, where data is looked for. */
final class TestDetectionDatasetFactories {
    @Test
    void testDefaultsAreAsDocumented() {
        CocoSettings coco = CocoSettings.from(new CocoDatasetFactory().getDefaults());
        assertThat(coco.root()).isEmpty();
        assertThat(coco.trainAnnotations()).isEqualTo("annotations/instances_train2017.json");
        assertThat(coco.input().imageSize()).isEqualTo(256);
        assertThat(coco.input().augment()).isTrue();
        assertThat(coco.input().minScale()).isEqualTo(0.6);
        VocSettings voc = VocSettings.from(new VocDatasetFactory().getDefaults());
        assertThat(voc.classes()).hasSize(20).startsWith("aeroplane").endsWith("tvmonitor");
        assertThat(voc.trainSplit()).isEqualTo("trainval");
        FashionMnistCanvasSettings canvas = FashionMnistCanvasSettings.from(
                new FashionMnistCanvasDatasetFactory().getDefaults());
        assertThat(canvas.canvasSize()).isEqualTo(96);
        assertThat(canvas.input().imageSize()).isEqualTo(96);
        assertThat(canvas.maxObjects()).isEqualTo(4);
    }

    @Test
    void testOutOfRangeValuesAreReportedTogether() {
        FashionMnistCanvasDatasetFactory factory = new FashionMnistCanvasDatasetFactory();
        assertThatThrownBy(() -> factory.check(ConfigFactory.parseString(
                "min-objects = 3, max-objects = 2, scale = [1.5, 1.0], flip-probability = 2")
                .withFallback(factory.getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("max-objects").hasMessageContaining("scale")
                .hasMessageContaining("flip-probability");
        VocDatasetFactory voc = new VocDatasetFactory();
        assertThatThrownBy(() -> voc.check(ConfigFactory.parseString("classes = [cat, cat]")
                .withFallback(voc.getDefaults()))).hasMessageContaining("distinct class names");
        CocoDatasetFactory coco = new CocoDatasetFactory();
        assertThatThrownBy(() -> coco.check(ConfigFactory.parseString("validation-annotations = v.json")
                .withFallback(coco.getDefaults()))).hasMessageContaining("validation-images");
    }

    @Test
    void testUnknownKeyRejected() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = coco, image-sise = 64"))
                    .hasMessageContaining("is not used by dataset 'coco'");
        }
    }

    @Test
    void testMissingDataNamesWhereItLooked(@TempDir Path temporary) {
        try (TestingFadContext context = TestingFadContext.builder().plugins(new VisionPlugin())
                .dataSearchPath(temporary).build()) {
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET, "type = voc"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Dataset 'voc' not found: set data.root=DIR")
                    .hasMessageContaining(temporary.resolve("voc").toString())
                    .extracting(error -> ((FadException) error).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING);
            assertThatThrownBy(() -> context.create(ComponentKind.DATASET,
                    "type = coco, root = \"" + temporary + "\""))
                    .hasMessageContaining("lacks 'annotations/instances_train2017.json'");
        }
    }

    @Test
    void testFoundOnTheDataSearchPath(@TempDir Path temporary) throws Exception {
        Path fixture = TestDarknetPhotos.fixture();
        Path voc = Files.createDirectories(temporary.resolve("voc"));
        for (String folder : new String[] {"JPEGImages", "Annotations", "ImageSets/Main"}) {
            Files.createDirectories(voc.resolve(folder));
            try (var files = Files.list(fixture.resolve(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, voc.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        try (TestingFadContext context = TestingFadContext.builder().plugins(new VisionPlugin())
                .dataSearchPath(temporary).build()) {
            LabeledDataset dataset = context.create(ComponentKind.DATASET, "type = voc, train-split = train,"
                    + " test-split = test, classes = [" + String.join(", ", TestDarknetPhotos.CLASSES) + "]");
            assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(3);
            assertThat(dataset.canWriteFiles()).isFalse();
            assertThatCode(() -> dataset.getFingerprint()).doesNotThrowAnyException();
        }
    }
}
