package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.Task;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.fadkd.vision.detection.model.CenterNetArchitectureFactory;
import org.fadkd.vision.task.ClassificationTaskFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds, runs and measures architectures in tests. */
final class TestingModels {
    static final Shape SAMPLE = new Shape(1, 28, 28);
    static final Shape BATCH = new Shape(2, 1, 28, 28);

    private TestingModels() {}

    /** The repository's {@code model} config group, {@code configs/model/<option>.conf}. */
    static final Path OPTIONS =
            Path.of(System.getProperty("basedir", ".")).resolveSibling("configs").resolve("model");

    /**
     * A factory of every architecture family the plugin offers that builds from its defaults alone:
     * all but {@code torchscript}, which needs a file (TestTorchScriptArchitecture).
     */
    static List<ArchitectureFactory> families() {
        return new VisionPlugin().getArchitectureFactories().stream()
                .filter(factory -> !(factory instanceof TorchScriptArchitectureFactory))
                .toList();
    }

    /**
     * The families whose defaults take {@link #SAMPLE}, 1×28×28: all but {@code imagenet-vgg},
     * whose five 2×2 poolings need at least 32×32 (its tests use 3×64×64 instead).
     */
    static List<ArchitectureFactory> familiesFor28Pixels() {
        // centernet is a detector, not a classifier: its gradients and shapes are checked by the
        // detection tests (TestDetectorTraining).
        return families().stream()
                .filter(factory -> !factory.getName().equals(ImageNetVggArchitectureFactory.NAME))
                .filter(factory -> !factory.getName().equals(CenterNetArchitectureFactory.NAME))
                .toList();
    }

    /** The architecture an option of the {@code model} config group builds. */
    static Architecture fromOption(String option) {
        Config section = ConfigFactory.parseFile(OPTIONS.resolve(option + ".conf").toFile());
        ArchitectureFactory factory =
                families().stream()
                        .filter(family -> family.getName().equals(section.getString("type")))
                        .findFirst()
                        .orElseThrow();
        return create(factory, section.withoutPath("type").root().unwrapped());
    }

    /**
     * The overrides under which a family's model takes {@link #SAMPLE} and stays quick to run:
     * none for the convolutional and MLP families, whose defaults are sized for 1×28×28. {@code
     * vit}'s defaults cut 16-pixel patches, which do not tile 28 pixels, and are 12 blocks deep:
     * a 2-block transformer with 7-pixel patches (16 patches) exercises the same layers.
     */
    static Map<String, Object> settingsForSample(ArchitectureFactory factory) {
        if (factory.getName().equals(VitArchitectureFactory.NAME)) {
            return Map.of(
                    "hidden-dim", 16, "layers", 2, "heads", 2, "mlp-dim", 32, "patch-size", 7);
        }
        return Map.of();
    }

    /**
     * Creates an architecture from its defaults with {@code overrides} on top, as the host does.
     */
    static Architecture create(ArchitectureFactory factory, Map<String, ?> overrides) {
        Config settings =
                ConfigFactory.parseMap(overrides).withFallback(factory.getDefaults()).resolve();
        return factory.create(settings, context());
    }

    /**
     * A context that owns nothing: these components need no manager and write no files. It knows
     * the vision plugin, so that centernet can create its backbone.
     */
    static TestingFadContext context() {
        return TestingFadContext.builder().plugins(new VisionPlugin()).workDirectory(Path.of(".")).build();
    }

    /** torchvision's ImageNet families, which halve the side five times. */
    private static final Set<String> IMAGENET_FAMILIES =
            Set.of(
                    MobileNetV2ArchitectureFactory.NAME,
                    MobileNetV3ArchitectureFactory.NAME,
                    ShuffleNetV2ArchitectureFactory.NAME,
                    DenseNetArchitectureFactory.NAME,
                    EfficientNetArchitectureFactory.NAME);

    /**
     * The sample a family's default model is trained on in tests: {@link #SAMPLE}, except for
     * torchvision's ImageNet families, which get 1×64×64. They halve 28 pixels to a 1×1 map, and
     * batch norm in training mode over a batch of two 1×1 maps outputs ±1 whatever its input, so
     * no gradient passes back through it; at 64 pixels their last maps are 2×2. ({@code densenet}
     * also needs at least 29 pixels.)
     */
    static Shape sampleFor(ArchitectureFactory factory) {
        return IMAGENET_FAMILIES.contains(factory.getName()) ? new Shape(1, 64, 64) : SAMPLE;
    }

    static Block initialized(Architecture architecture, NDManager manager) {
        return initialized(architecture, manager, SAMPLE, 10);
    }

    /** Builds the architecture for {@code sample} and initialises it for a batch of two. */
    static Block initialized(
            Architecture architecture, NDManager manager, Shape sample, int classes) {
        Block block = architecture.newBlock(sample, classes);
        block.initialize(manager, DataType.FLOAT32, batchOfTwo(sample));
        return block;
    }

    /** Builds the architecture for 10 classes and initialises it for batches of {@code batch}. */
    static Block initialized(Architecture architecture, NDManager manager, Shape batch) {
        Block block = architecture.newBlock(batch.slice(1), 10);
        block.initialize(manager, DataType.FLOAT32, batch);
        return block;
    }

    /** A batch of two samples of the given shape. */
    static Shape batchOfTwo(Shape sample) {
        return new Shape(2).addAll(sample);
    }

    static List<Shape> forwardShapes(Block block, NDManager manager) {
        return forwardShapes(block, manager, BATCH);
    }

    static List<Shape> forwardShapes(Block block, NDManager manager, Shape batch) {
        NDList outputs =
                block.forward(
                        new ParameterStore(manager, false),
                        new NDList(manager.randomNormal(batch)),
                        false);
        return outputs.stream().map(NDArray::getShape).toList();
    }

    /** Counts what fad-spec §13 counts: trainable parameters, not BN running statistics. */
    static long trainableParameters(Block block) {
        return ParameterCount.trainable(block);
    }

    /** Builds the architecture from its defaults with {@code overrides} and counts its trainable parameters. */
    static long trainableParameters(ArchitectureFactory factory, Map<String, ?> overrides) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return trainableParameters(initialized(create(factory, overrides), manager));
        }
    }

    static long conv(int kernel, int in, int out) {
        return (long) kernel * kernel * in * out;
    }

    static long batchNorm(int channels) {
        return 2L * channels;
    }

    static long linear(int in, int out) {
        return (long) in * out + out;
    }

    /**
     * Says whether a parameter is an attention key projection's bias. It gets no gradient in exact
     * arithmetic: it adds {@code q·b} to every score of a query alike, which the softmax cancels
     * (so also in torchvision); float rounding leaves noise around 1e-8. Gradient checks skip it.
     */
    static boolean isKeyProjectionBias(String parameterName) {
        return parameterName.endsWith("keyProjection_bias");
    }

    /**
     * Back-propagates the classification loss of the logits and returns the parameters whose
     * gradient is entirely zero.
     */
    static List<String> parametersWithoutGradient(Block block, NDManager manager) {
        return parametersWithoutGradient(block, manager, BATCH);
    }

    /** {@link #parametersWithoutGradient(Block, NDManager)} on a random batch of shape {@code batch}. */
    static List<String> parametersWithoutGradient(Block block, NDManager manager, Shape batch) {
        Task task =
                new ClassificationTaskFactory()
                        .create(
                                ConfigFactory.empty(),
                                context());
        List<Pair<String, Parameter>> trainable =
                block.getParameters().stream()
                        .filter(pair -> pair.getValue().requiresGradient())
                        .toList();
        trainable.forEach(pair -> pair.getValue().getArray().setRequiresGradient(true));
        try (NDManager batchManager = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray inputs = batchManager.randomNormal(batch);
            NDArray logits =
                    block.forward(new ParameterStore(batchManager, false), new NDList(inputs), true)
                            .head();
            collector.backward(
                    task.loss(logits, new NDList(batchManager.create(new long[] {3, 7}))));
            return trainable.stream()
                    .filter(
                            pair -> {
                                try (NDArray gradient = pair.getValue().getArray().getGradient()) {
                                    return gradient.abs().sum().getFloat() == 0f;
                                }
                            })
                    .map(Pair::getKey)
                    .toList();
        }
    }

    /**
     * Builds the architecture for a batch of {@link #BATCH} and checks its declared taps, the taps
     * of the block it builds, and the shapes of its forward pass and of {@code getOutputShapes}:
     * {@code [logits, taps...]}.
     */
    static void assertForward(
            Architecture architecture, List<String> tapNames, List<Shape> expectedShapes) {
        assertForward(architecture, SAMPLE, 10, tapNames, expectedShapes);
    }

    /** {@link #assertForward(Architecture, List, List)} for a batch of two {@code sample}s. */
    static void assertForward(
            Architecture architecture,
            Shape sample,
            int classes,
            List<String> tapNames,
            List<Shape> expectedShapes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = initialized(architecture, manager, sample, classes);

            assertThat(architecture.getTapNames()).isEqualTo(tapNames);
            assertThat(((TappedSequentialBlock) block).getTapNames()).isEqualTo(tapNames);
            assertThat(forwardShapes(block, manager, batchOfTwo(sample)))
                    .isEqualTo(expectedShapes);
            assertThat(block.getOutputShapes(new Shape[] {batchOfTwo(sample)}))
                    .containsExactlyElementsOf(expectedShapes);
        }
    }
}
