package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.fadkd.vision.detection.model.CenterNetArchitectureFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The options of the repository's {@code model} config group ({@code configs/model/*.conf}) whose
 * type is an architecture of this plugin: each builds, and the sizes the comments of the
 * Fashion-MNIST options, torchvision's mobile families, the Vision Transformers and the detectors
 * state (the selection experiment's budgets rely on them) are the ones the models have at 1×28×28
 * with 10 classes (1×32×32 for densenet), or, for the Vision Transformers and the centernet
 * detectors, at the input and class count their comments name. The other reference
 * options (torchvision's and RepDistiller's networks) state their sizes at their own input size,
 * which {@link TestReferenceFamilies} checks.
 */
final class TestModelOptions {
    private static final Path OPTIONS = TestingModels.OPTIONS;

    private static final Map<String, ArchitectureFactory> FACTORIES =
            TestingModels.families().stream()
                    .collect(Collectors.toMap(ArchitectureFactory::getName, factory -> factory));

    /**
     * Option → trainable parameters and MACs, as each option file's comment states them: at
     * 1×28×28 with 10 classes, except {@code densenet121} at 1×32×32, since it needs 29 pixels,
     * and the Vision Transformers ({@link #TRANSFORMER_INPUTS}). The torchvision mobile families'
     * counts equal torchvision's for the same input ({@code reference/mobile_reference.py 1 28 10}).
     */
    private static final Map<String, List<Long>> SIZES =
            Map.ofEntries(
                    Map.entry("resnet", List.of(309_162L, 10_520_320L)),
                    Map.entry("cnn", List.of(24_058L, 1_919_872L)),
                    Map.entry("cnn-small", List.of(6_274L, 508_352L)),
                    Map.entry("mlp", List.of(27_658L, 27_456L)),
                    Map.entry("mlp-large", List.of(113_802L, 113_280L)),
                    Map.entry("mobilenet", List.of(31_946L, 778_080L)),
                    Map.entry("vgg", List.of(18_482L, 1_863_104L)),
                    Map.entry("vgg-wide", List.of(72_666L, 7_338_880L)),
                    Map.entry("mobilenet-v2", List.of(2_236_106L, 5_597_552L)),
                    Map.entry("mobilenet-v3-large", List.of(4_214_554L, 6_800_072L)),
                    Map.entry("mobilenet-v3-small", List.of(1_527_818L, 2_064_144L)),
                    Map.entry("shufflenet-v2-x0.5", List.of(351_610L, 683_200L)),
                    Map.entry("shufflenet-v2-x1.0", List.of(1_263_422L, 2_802_216L)),
                    Map.entry("shufflenet-v2-x1.5", List.of(2_488_442L, 5_870_016L)),
                    Map.entry("shufflenet-v2-x2.0", List.of(5_365_054L, 11_714_344L)),
                    Map.entry("densenet121", List.of(6_957_834L, 56_223_744L)),
                    Map.entry("efficientnet-b0", List.of(4_019_782L, 7_947_472L)),
                    Map.entry("vit-b16", List.of(86_567_656L, 17_563_828_224L)),
                    Map.entry("vit-s16", List.of(22_050_664L, 4_598_882_304L)),
                    Map.entry("vit-ti16", List.of(5_717_416L, 1_253_683_200L)),
                    Map.entry("vit-ti4", List.of(5_362_762L, 365_107_584L)),
                    Map.entry("centernet-resnet", List.of(493_998L, 225_533_952L)),
                    Map.entry("centernet-cnn", List.of(70_398L, 52_015_104L)));

    /**
     * The sample shape and class count the Vision Transformer options state their sizes at: their
     * patches do not all tile 28 pixels, and they are meant for ImageNet or CIFAR-size images.
     */
    private static final Map<String, Map.Entry<Shape, Integer>> TRANSFORMER_INPUTS =
            Map.of(
                    "vit-b16", Map.entry(new Shape(3, 224, 224), 1000),
                    "vit-s16", Map.entry(new Shape(3, 224, 224), 1000),
                    "vit-ti16", Map.entry(new Shape(3, 224, 224), 1000),
                    "vit-ti4", Map.entry(new Shape(3, 32, 32), 10),
                    // the detectors at dataset fashion-mnist-canvas's 3×96×96 canvases and 10 classes
                    "centernet-resnet", Map.entry(new Shape(3, 96, 96), 10),
                    "centernet-cnn", Map.entry(new Shape(3, 96, 96), 10));

    @Test
    void testEveryOptionBuildsWithItsStatedSize() throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(OPTIONS)) {
            // the options of this plugin's architectures; another plugin's (the text models) are tested there
            files = listing.filter(file -> file.toString().endsWith(".conf"))
                    .filter(file -> FACTORIES.containsKey(ConfigFactory.parseFile(file.toFile()).getString("type")))
                    .sorted().toList();
        }
        assertThat(files.stream().map(TestModelOptions::option))
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(
                                        SIZES.keySet().stream(),
                                        TestReferenceFamilies.OPTIONS.stream())
                                .toList());
        for (Path file : files) {
            String option = option(file);
            if (!SIZES.containsKey(option)) {
                continue;
            }
            Config section = ConfigFactory.parseFile(file.toFile());
            Map<String, Object> settings = section.withoutPath("type").root().unwrapped();
            Map.Entry<Shape, Integer> input =
                    TRANSFORMER_INPUTS.getOrDefault(
                            option,
                            Map.entry(option.equals("densenet121") ? new Shape(1, 32, 32) : TestingModels.SAMPLE, 10));
            Shape sample = input.getKey();
            Architecture architecture = section.getString("type").equals(CenterNetArchitectureFactory.NAME)
                    ? detector(section)
                    : TestingModels.create(FACTORIES.get(section.getString("type")), settings);
            Block block = architecture.newBlock(sample, input.getValue());
            try (NDManager manager = NDManager.newBaseManager()) {
                // parameter shapes are known once initialised, for any batch size
                block.initialize(
                        manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1).addAll(sample));

                assertThat(
                                List.of(
                                        TestingModels.trainableParameters(block),
                                        MacCounter.count(block, sample)))
                        .as(option)
                        .isEqualTo(SIZES.get(option));
            }
        }
    }

    /** A centernet option, built through a context holding the plugin: it creates its backbone as a component. */
    private static Architecture detector(Config section) {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            return context.create(ComponentKind.ARCHITECTURE, section.root().render());
        }
    }

    private static String option(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".conf".length());
    }
}
