package org.fadkd.vision.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Architecture centernet: its taps and shapes, the neck's upsampling, its heads' prior, its MACs. */
final class TestCenterNetArchitecture {
    /** A small resnet: stride-1 stem, then three stride-2 stages (total stride 8). */
    private static final String SMALL_RESNET =
            "backbone { type = resnet, stem-channels = 8, widths = [8, 16, 16], strides = [2, 2, 2] }";

    private static Architecture centernet(String settings) {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            return context.create(ComponentKind.ARCHITECTURE, "type = centernet, " + settings);
        }
    }

    private static List<Shape> forwardShapes(Block block, Shape batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, batch);
            NDList outputs = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(batch)), false);
            return outputs.stream().map(NDArray::getShape).toList();
        }
    }

    @Test
    void testTapsAndShapesWithOneUpsampling() {
        Architecture architecture = centernet(SMALL_RESNET + ", neck-channels = 12, head-channels = 6");
        assertThat(architecture.getTapNames()).containsExactly("stem", "stage1", "stage2", "stage3", "neck");
        assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.NONE);
        Block block = architecture.newBlock(new Shape(3, 32, 32), 3);
        // 32 → 16 → 8 → 4, upsampled once to 8 = 32/4
        List<Shape> expected = List.of(new Shape(2, 7, 8, 8), new Shape(2, 8, 32, 32), new Shape(2, 8, 16, 16),
                new Shape(2, 16, 8, 8), new Shape(2, 16, 4, 4), new Shape(2, 12, 8, 8));
        assertThat(forwardShapes(block, new Shape(2, 3, 32, 32))).isEqualTo(expected);
        assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 3, 32, 32)})).containsExactlyElementsOf(expected);
    }

    @Test
    void testNoUpsamplingAtStrideFourAndTwoAtSixteen() {
        Block strideFour = centernet("backbone { type = resnet, stem-channels = 4, widths = [4, 4], strides = [2, 2] }")
                .newBlock(new Shape(3, 16, 16), 2);
        assertThat(forwardShapes(strideFour, new Shape(1, 3, 16, 16)).get(0)).isEqualTo(new Shape(1, 6, 4, 4));
        Block strideSixteen = centernet(
                        "backbone { type = resnet, stem-channels = 4, widths = [4, 4, 4, 4], strides = [2, 2, 2, 2] }")
                .newBlock(new Shape(3, 32, 32), 2);
        assertThat(forwardShapes(strideSixteen, new Shape(1, 3, 32, 32)).get(0)).isEqualTo(new Shape(1, 6, 8, 8));
    }

    @Test
    void testTheHeatmapStartsAtTheTenPercentPrior() {
        Block block = centernet(SMALL_RESNET).newBlock(new Shape(3, 16, 16), 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            List<Parameter> biases = block.getParameters().stream()
                    .filter(pair -> pair.getKey().endsWith("_bias"))
                    .map(Pair::getValue)
                    .filter(bias -> bias.getArray().getShape().equals(new Shape(3)))
                    .toList();
            // the one bias of 3 values: the heatmap's 1×1 output layer
            assertThat(biases).hasSize(1);
            for (float value : biases.get(0).getArray().toFloatArray()) {
                assertThat(1 / (1 + Math.exp(-value))).isCloseTo(0.1, within(1e-7));
            }
        }
    }

    /**
     * MACs of the neck and heads by hand (fad-spec §13), with the backbone counted alone: at 3×32×32
     * and 3 classes, the neck's 3×3 conv 16→12 on 8×8, each head's 3×3 conv 12→6 and 1×1 conv
     * 6→(3, 2, 2) on 8×8; upsampling, batch norm and ReLU cost nothing. The backbone's classifier
     * (linear 16→3 after pooling) is not part of the detector.
     */
    @Test
    void testMultiplyAccumulatesOfNeckAndHeads() {
        Shape sample = new Shape(3, 32, 32);
        long neck = conv(8, 16, 12, 3);
        long heads = 3 * conv(8, 12, 6, 3) + conv(8, 6, 3, 1) + 2 * conv(8, 6, 2, 1);
        assertThat(neck + heads).isEqualTo(110_592 + 127_104);
        Block detector = centernet(SMALL_RESNET + ", neck-channels = 12, head-channels = 6").newBlock(sample, 3);
        Block classifier;
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            classifier = context.<Architecture>create(ComponentKind.ARCHITECTURE,
                            "type = resnet, stem-channels = 8, widths = [8, 16, 16], strides = [2, 2, 2]")
                    .newBlock(sample, 3);
        }
        long backboneStages = MacCounter.count(classifier, sample) - 16 * 3;
        assertThat(MacCounter.count(detector, sample) - backboneStages).isEqualTo(neck + heads);
    }

    @Test
    void testAnInputTheNeckCannotReachIsRefused() {
        Architecture architecture = centernet("backbone = resnet");
        // the default resnet turns 28 pixels into 4 (28 → 14 → 7 → 4): no power of 2 gives 7
        assertThatThrownBy(() -> architecture.newBlock(new Shape(1, 28, 28), 10))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                .hasMessageContaining("backbone 'resnet' turns 28x28 inputs into 4x4 maps")
                .hasMessageContaining("brings to 7x7");
    }

    @Test
    void testABackboneWithoutFeatureMapsIsRefused() {
        assertThatThrownBy(() -> centernet("backbone = mlp").newBlock(new Shape(1, 28, 28), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("backbone 'mlp' ending in");
    }

    @Test
    void testSettings() {
        CenterNetArchitectureFactory factory = new CenterNetArchitectureFactory();
        CenterNetSettings defaults = CenterNetSettings.from(factory.getDefaults());
        assertThat(defaults.backbone().getString("type")).isEqualTo("resnet");
        assertThat(List.of(defaults.neckChannels(), defaults.headChannels())).containsExactly(64, 64);
        assertThatThrownBy(() -> factory.check(ConfigFactory.parseString("backbone = centernet, neck-channels = 0")
                        .withFallback(factory.getDefaults())))
                .hasMessageContaining("Setting 'backbone' of architecture 'centernet' is 'centernet'")
                .hasMessageContaining("Setting 'neck-channels' of architecture 'centernet' is '0'");
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.ARCHITECTURE,
                            "type = centernet, backbone { type = resnet, widhts = [8] }"))
                    .hasMessageContaining("backbone.widhts");
        }
    }

    /** MACs of a square convolution without groups. */
    private static long conv(int outputSide, int inputChannels, int outputChannels, int kernel) {
        return (long) outputSide * outputSide * outputChannels * inputChannels * kernel * kernel;
    }
}
