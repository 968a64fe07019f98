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

    /** A factory of every architecture family the plugin offers. */
    static List<ArchitectureFactory> families() {
        return new VisionPlugin().getArchitectureFactories();
    }

    /**
     * Creates an architecture from its defaults with {@code overrides} on top, as the host does.
     */
    static Architecture create(ArchitectureFactory factory, Map<String, ?> overrides) {
        Config settings =
                ConfigFactory.parseMap(overrides).withFallback(factory.getDefaults()).resolve();
        return factory.create(settings, context());
    }

    /** A context that owns nothing: these components need no manager and write no files. */
    static TestingFadContext context() {
        return TestingFadContext.builder().workDirectory(Path.of(".")).build();
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

    /** A batch of two samples of the given shape. */
    static Shape batchOf(Shape sample) {
        return new Shape(2).addAll(sample);
    }

    static Block initialized(Architecture architecture, NDManager manager) {
        return initialized(architecture, SAMPLE, manager);
    }

    /** Builds the architecture for {@code sample} with 10 classes, initialised for a batch of two. */
    static Block initialized(Architecture architecture, Shape sample, NDManager manager) {
        Block block = architecture.newBlock(sample, 10);
        block.initialize(manager, DataType.FLOAT32, batchOf(sample));
        return block;
    }

    static List<Shape> forwardShapes(Block block, NDManager manager) {
        return forwardShapes(block, BATCH, manager);
    }

    static List<Shape> forwardShapes(Block block, Shape batch, NDManager manager) {
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
     * Back-propagates the classification loss of the logits and returns the parameters whose
     * gradient is entirely zero.
     */
    static List<String> parametersWithoutGradient(Block block, NDManager manager) {
        return parametersWithoutGradient(block, BATCH, manager);
    }

    /** As {@link #parametersWithoutGradient(Block, NDManager)}, for a batch of two of another shape. */
    static List<String> parametersWithoutGradient(Block block, Shape batch, NDManager manager) {
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
        assertForward(architecture, SAMPLE, tapNames, expectedShapes);
    }

    /** As {@link #assertForward(Architecture, List, List)}, for a batch of two of {@code sample}. */
    static void assertForward(
            Architecture architecture,
            Shape sample,
            List<String> tapNames,
            List<Shape> expectedShapes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = initialized(architecture, sample, manager);

            assertThat(architecture.getTapNames()).isEqualTo(tapNames);
            assertThat(((TappedSequentialBlock) block).getTapNames()).isEqualTo(tapNames);
            assertThat(forwardShapes(block, batchOf(sample), manager)).isEqualTo(expectedShapes);
            assertThat(block.getOutputShapes(new Shape[] {batchOf(sample)}))
                    .containsExactlyElementsOf(expectedShapes);
        }
    }
}
