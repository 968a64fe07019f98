package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The reference options of the {@code model} config group build the networks they name: the same
 * trainable parameters and multiply-accumulates (fad-spec §13) as torchvision's models at 3×224×224
 * with 1000 classes, and as a PyTorch port of RepDistiller's CIFAR models at 3×32×32 with 100
 * classes ({@code reference/resnet_vgg_reference.py}). The torchvision options also match the
 * sizes torchvision publishes for its weights.
 */
final class TestReferenceFamilies {
    private static final Shape IMAGENET = new Shape(3, 224, 224);
    private static final Shape CIFAR = new Shape(3, 32, 32);

    private static final List<String> IMAGENET_OPTIONS =
            List.of(
                    "resnet18",
                    "resnet34",
                    "resnet50",
                    "resnet101",
                    "vgg11-bn",
                    "vgg13-bn",
                    "vgg16-bn",
                    "vgg19-bn");

    private static final List<String> CIFAR_OPTIONS =
            List.of(
                    "resnet8",
                    "resnet14",
                    "resnet20",
                    "resnet32",
                    "resnet44",
                    "resnet56",
                    "resnet110",
                    "resnet8x4",
                    "resnet32x4",
                    "wrn-40-2",
                    "wrn-16-2",
                    "cifar-vgg8",
                    "cifar-vgg11",
                    "cifar-vgg13",
                    "cifar-vgg16",
                    "cifar-vgg19");

    /** Every reference option of {@code configs/model/}. */
    static final List<String> OPTIONS =
            Stream.concat(IMAGENET_OPTIONS.stream(), CIFAR_OPTIONS.stream())
                    .toList();

    /**
     * torchvision's published sizes (the {@code num_params} and {@code GFLOPS} of each model's
     * ImageNet weights): parameters exactly, GFLOPS (= G MACs) rounded to two decimals.
     */
    private static final Map<String, Published> TORCHVISION =
            Map.of(
                    "resnet18", new Published(11_689_512L, 1.81),
                    "resnet34", new Published(21_797_672L, 3.66),
                    "resnet50", new Published(25_557_032L, 4.09),
                    "resnet101", new Published(44_549_160L, 7.80),
                    "vgg11-bn", new Published(132_868_840L, 7.61),
                    "vgg13-bn", new Published(133_053_736L, 11.31),
                    "vgg16-bn", new Published(138_365_992L, 15.47),
                    "vgg19-bn", new Published(143_678_248L, 19.63));

    /** Reference counts by script argument, each run once. */
    private static final Map<String, Map<String, TorchReference.Counts>> REFERENCE =
            new ConcurrentHashMap<>();

    private record Published(long parameters, double gigaMacs) {}

    static List<String> imagenetOptions() {
        return IMAGENET_OPTIONS;
    }

    static List<String> cifarOptions() {
        return CIFAR_OPTIONS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imagenetOptions")
    void testTorchvisionNetworks(String option) {
        Counts fad = measure(option, IMAGENET, 1000);
        TorchReference.Counts reference = reference("imagenet").get(option);

        assertThat(fad.parameters()).as("%s parameters", option).isEqualTo(reference.parameters());
        assertThat(fad.macs()).as("%s MACs", option).isEqualTo(reference.macs());
        Published published = TORCHVISION.get(option);
        assertThat(fad.parameters()).isEqualTo(published.parameters());
        assertThat(fad.macs() / 1e9).isCloseTo(published.gigaMacs(), withinPercentage(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cifarOptions")
    void testRepDistillerNetworks(String option) {
        Counts fad = measure(option, CIFAR, 100);
        TorchReference.Counts reference = reference("cifar").get(option);

        assertThat(fad.parameters()).as("%s parameters", option).isEqualTo(reference.parameters());
        assertThat(fad.macs()).as("%s MACs", option).isEqualTo(reference.macs());
    }

    private record Counts(long parameters, long macs) {}

    /** Counts the option's network; the parameters need shapes, so the block is initialised. */
    private static Counts measure(String option, Shape sample, int classes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.fromOption(option), manager, sample, classes);
            return new Counts(
                    TestingModels.trainableParameters(block), MacCounter.count(block, sample));
        }
    }

    private static Map<String, TorchReference.Counts> reference(String group) {
        return REFERENCE.computeIfAbsent(
                group, key -> TorchReference.counts("resnet_vgg_reference.py", key));
    }
}
