package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.ArchitectureFactory;
import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The torchvision families against torchvision 0.14 itself at 3×224×224 with 1000 classes: the
 * trainable parameters and the multiply-accumulates equal those of torchvision's model, counted
 * the same way by {@code reference/mobile_reference.py}, and the MACs round to torchvision's
 * published GFLOPS. Only blocks are built and initialised; no forward pass runs at 224 pixels.
 */
final class TestTorchvisionReferences {
    private static final Shape IMAGENET = new Shape(3, 224, 224);
    private static final int CLASSES = 1000;

    /** Reference model name (as the script names it) → family and settings of the same network. */
    private static final Map<String, Model> MODELS = models();

    private record Model(ArchitectureFactory factory, Map<String, ?> settings) {}

    /** The script's counts, by model name; computed once, by the first test that needs them. */
    private static Map<String, TorchReference.Counts> references;

    private static Map<String, Model> models() {
        Map<String, Model> models = new LinkedHashMap<>();
        ArchitectureFactory v2 = new MobileNetV2ArchitectureFactory();
        ArchitectureFactory v3 = new MobileNetV3ArchitectureFactory();
        ArchitectureFactory shuffleNet = new ShuffleNetV2ArchitectureFactory();
        ArchitectureFactory denseNet = new DenseNetArchitectureFactory();
        ArchitectureFactory efficientNet = new EfficientNetArchitectureFactory();
        models.put("mobilenet-v2", new Model(v2, Map.of()));
        models.put("mobilenet-v2-width0.5", new Model(v2, Map.of("width", 0.5)));
        models.put("mobilenet-v3-large", new Model(v3, Map.of("size", "large")));
        models.put(
                "mobilenet-v3-large-width0.75",
                new Model(v3, Map.of("size", "large", "width", 0.75)));
        models.put("mobilenet-v3-small", new Model(v3, Map.of("size", "small")));
        for (String multiplier : List.of("0.5", "1.0", "1.5", "2.0")) {
            models.put(
                    "shufflenet-v2-x" + multiplier,
                    new Model(shuffleNet, Map.of("multiplier", Double.parseDouble(multiplier))));
        }
        // 169 and 201 differ from 121 only in their table rows; left out to keep the test short
        for (int depth : List.of(121, 161)) {
            models.put("densenet" + depth, new Model(denseNet, Map.of("depth", depth)));
        }
        for (String variant : List.of("b0", "b3", "b7")) {
            models.put(
                    "efficientnet-" + variant, new Model(efficientNet, Map.of("variant", variant)));
        }
        return models;
    }

    static List<String> referenceModels() {
        return List.copyOf(MODELS.keySet());
    }

    private static synchronized TorchReference.Counts reference(String name) {
        if (references == null) {
            List<String> arguments = new ArrayList<>(List.of("3", "224", String.valueOf(CLASSES)));
            arguments.addAll(MODELS.keySet());
            references =
                    TorchReference.counts("mobile_reference.py", arguments.toArray(String[]::new));
        }
        return references.get(name);
    }

    private static Block build(String name) {
        Model model = MODELS.get(name);
        return TestingModels.create(model.factory(), model.settings()).newBlock(IMAGENET, CLASSES);
    }

    @ParameterizedTest
    @MethodSource("referenceModels")
    void testCountsEqualTorchvisions(String name) {
        TorchReference.Counts expected = reference(name);
        Block block = build(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(IMAGENET));

            assertThat(
                            new TorchReference.Counts(
                                    TestingModels.trainableParameters(block),
                                    MacCounter.count(block, IMAGENET)))
                    .as(name)
                    .isEqualTo(expected);
        }
    }

    /** torchvision's model cards give GFLOPS with two decimals; the count must round to them. */
    @ParameterizedTest
    @CsvSource({
        "mobilenet-v2, 0.30",
        "mobilenet-v3-large, 0.22",
        "mobilenet-v3-small, 0.06",
        "shufflenet-v2-x0.5, 0.04",
        "shufflenet-v2-x1.0, 0.14",
        "shufflenet-v2-x1.5, 0.30",
        "shufflenet-v2-x2.0, 0.58",
        "densenet121, 2.83",
        "efficientnet-b0, 0.39"
    })
    void testMultiplyAccumulatesMatchPublishedGflops(String name, double publishedGflops) {
        double gflops = MacCounter.count(build(name), IMAGENET) / 1e9;

        assertThat(Math.abs(gflops - publishedGflops))
                .as("%s: %.4f GFLOPS, published %.2f", name, gflops, publishedGflops)
                .isLessThanOrEqualTo(Math.max(0.01 * publishedGflops, 0.005));
    }
}
