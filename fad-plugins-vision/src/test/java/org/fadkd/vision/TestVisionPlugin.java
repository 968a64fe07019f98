package org.fadkd.vision;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.data.ImageFolderDatasetFactory;
import org.fadkd.vision.detection.data.CocoDatasetFactory;
import org.fadkd.vision.detection.data.VocDatasetFactory;
import org.fadkd.vision.model.TorchScriptArchitectureFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

final class TestVisionPlugin {
    @TempDir Path temporary;

    @Test
    void testFoundByServiceLoader() {
        List<FadPlugin> plugins =
                ServiceLoader.load(FadPlugin.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList();

        assertThat(plugins).hasAtLeastOneElementOfType(VisionPlugin.class);
    }

    @Test
    void testComponentNames() {
        Map<String, List<String>> names =
                ComponentKind.ALL.stream()
                        .collect(
                                Collectors.toMap(
                                        ComponentKind::name,
                                        kind ->
                                                kind.factories().apply(new VisionPlugin()).stream()
                                                        .map(ComponentFactory::getName)
                                                        .toList()));

        assertThat(names)
                .containsOnly(
                        Map.entry("method", List.of()),
                        Map.entry("flow-metric", List.of()),
                        Map.entry("launcher", List.of()),
                        Map.entry("task", List.of("classification", "detection")),
                        Map.entry("dataset", List.of("fashion-mnist", "imagefolder", "cifar10", "cifar100", "coco", "voc",
                                "fashion-mnist-canvas")),
                        Map.entry(
                                "architecture",
                                List.of(
                                        "resnet",
                                        "cnn",
                                        "mlp",
                                        "mobilenet",
                                        "vgg",
                                        "imagenet-resnet",
                                        "imagenet-vgg",
                                        "vit",
                                        "mobilenet-v2",
                                        "mobilenet-v3",
                                        "shufflenet-v2",
                                        "densenet",
                                        "efficientnet",
                                        "cifar-resnet",
                                        "wide-resnet",
                                        "cifar-vgg",
                                        "torchscript",
                                        "centernet")),
                        Map.entry("trainer", List.of()));
    }

    @Test
    void testEveryFactoryCreatesFromItsDefaults() throws Exception {
        // a tiny dataset on the search path, so this does not depend on what the machine has
        Path dataRoot = temporary.resolve("data");
        Files.createDirectories(dataRoot.resolve("fashion-mnist"));
        writeTinyFashionMnist(dataRoot.resolve("fashion-mnist"));
        writeTinyCifar(dataRoot);
        VisionPlugin plugin = new VisionPlugin();

        try (TestingFadContext context =
                TestingFadContext.builder()
                        .plugins(plugin)
                        .workDirectory(temporary)
                        .dataSearchPath(dataRoot)
                        .build()) {
            for (ComponentKind<?> kind : ComponentKind.ALL) {
                for (ComponentFactory<?> factory : kind.factories().apply(plugin)) {
                    if (factory instanceof TorchScriptArchitectureFactory
                            || factory instanceof ImageFolderDatasetFactory
                            || factory instanceof CocoDatasetFactory
                            || factory instanceof VocDatasetFactory) {
                        // need a file or folder: TestTorchScriptArchitecture, TestImageFolderDataset
                        // and TestDarknetPhotos create them from what they write or ship
                        continue;
                    }
                    // bound as the runner binds a section naming only the type
                    Object component =
                            context.createComponent(
                                    kind, ConfigFactory.parseMap(Map.of("type", factory.getName())));
                    assertThat(component)
                            .as(kind + " " + factory.getName())
                            .isInstanceOf(kind.componentType());
                    if (component instanceof LabeledDataset dataset) {
                        // one record per file: CIFAR-10 has five training files
                        assertThat(dataset.getSplit(Split.TRAIN).size()).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void testEveryDefaultIsDocumented() {
        for (ComponentKind<?> kind : ComponentKind.ALL) {
            for (ComponentFactory<?> factory : kind.factories().apply(new VisionPlugin())) {
                Config defaults = factory.getDefaults();
                // a missing resource would also parse as empty: every factory here ships one
                assertThat(
                                factory.getClass()
                                        .getResource("defaults/" + factory.getName() + ".conf"))
                        .as(factory.getName())
                        .isNotNull();
                defaults.entrySet()
                        .forEach(
                                entry ->
                                        assertThat(entry.getValue().origin().comments())
                                                .as(factory.getName() + "." + entry.getKey())
                                                .isNotEmpty());
            }
        }
    }

    private static void writeTinyFashionMnist(Path directory) throws Exception {
        for (String split : List.of("train", "t10k")) {
            byte[] images = new byte[16 + 28 * 28];
            images[2] = 8;
            images[3] = 3;
            images[7] = 1;
            images[11] = 28;
            images[15] = 28;
            Files.write(directory.resolve(split + "-images-idx3-ubyte"), images);
            Files.write(
                    directory.resolve(split + "-labels-idx1-ubyte"),
                    new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        }
    }

    /** One all-zero record (label 0) per binary file of CIFAR-10 and CIFAR-100. */
    private static void writeTinyCifar(Path dataRoot) throws Exception {
        Map<String, List<String>> files =
                Map.of(
                        "cifar10",
                        List.of(
                                "data_batch_1.bin",
                                "data_batch_2.bin",
                                "data_batch_3.bin",
                                "data_batch_4.bin",
                                "data_batch_5.bin",
                                "test_batch.bin"),
                        "cifar100",
                        List.of("train.bin", "test.bin"));
        for (Map.Entry<String, List<String>> dataset : files.entrySet()) {
            Path directory = Files.createDirectories(dataRoot.resolve(dataset.getKey()));
            int labelBytes = dataset.getKey().equals("cifar100") ? 2 : 1;
            for (String name : dataset.getValue()) {
                Files.write(directory.resolve(name), new byte[labelBytes + 3 * 32 * 32]);
            }
        }
    }
}
