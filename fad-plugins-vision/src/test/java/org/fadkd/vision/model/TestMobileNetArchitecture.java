package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.vision.model.TestingModels.batchNorm;
import static org.fadkd.vision.model.TestingModels.conv;
import static org.fadkd.vision.model.TestingModels.linear;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.Architecture;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

final class TestMobileNetArchitecture {
    private static final MobileNetArchitectureFactory FACTORY = new MobileNetArchitectureFactory();

    /**
     * A depthwise-separable block from {@code in} to {@code out} channels: a 3×3 depthwise kernel
     * per input channel, a 1×1 pointwise convolution, each with batch norm.
     */
    private static long separableBlock(int in, int out) {
        return conv(3, 1, in) + batchNorm(in) + conv(1, in, out) + batchNorm(out);
    }

    @Test
    void testDefaults() {
        assertThat(MobileNetSettings.from(FACTORY.getDefaults()))
                .isEqualTo(
                        new MobileNetSettings(16, List.of(32, 64, 128, 128), List.of(2, 2, 2, 1)));
    }

    @Test
    void testDefaultShapesAndTaps() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        TestingModels.assertForward(
                architecture,
                List.of("stem", "block1", "block2", "block3", "block4"),
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 16, 28, 28),
                        new Shape(2, 32, 14, 14),
                        new Shape(2, 64, 7, 7),
                        new Shape(2, 128, 4, 4),
                        new Shape(2, 128, 4, 4)));
    }

    @Test
    void testDefaultParameterCount() {
        long expected =
                conv(3, 1, 16)
                        + batchNorm(16)
                        + separableBlock(16, 32)
                        + separableBlock(32, 64)
                        + separableBlock(64, 128)
                        + separableBlock(128, 128)
                        + linear(128, 10);
        assertThat(TestingModels.trainableParameters(FACTORY, Map.of()))
                .isEqualTo(expected)
                .isEqualTo(31_946);
    }

    @Test
    void testDepthwiseConvolutionKeepsChannelsApart() {
        // One depthwise-separable block on a stem of 2 channels: its depthwise kernel is (2, 1, 3, 3).
        Architecture architecture =
                TestingModels.create(
                        FACTORY,
                        Map.of("stem-channels", 2, "widths", List.of(4), "strides", List.of(1)));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager);

            assertThat(
                            block.getParameters().stream()
                                    .filter(pair -> pair.getValue().requiresGradient())
                                    .map(pair -> pair.getValue().getArray().getShape())
                                    .toList())
                    .contains(new Shape(2, 1, 3, 3), new Shape(4, 2, 1, 1));
            assertThat(TestingModels.forwardShapes(block, manager))
                    .containsExactly(
                            new Shape(2, 10), new Shape(2, 2, 28, 28), new Shape(2, 4, 28, 28));
        }
    }

    @Test
    void testRejectsInvalidSettingsAllAtOnce() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY,
                                        Map.of(
                                                "widths",
                                                List.of(32, -4),
                                                "strides",
                                                List.of(4),
                                                "stem-channels",
                                                0)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Invalid settings for architecture 'mobilenet'")
                .hasMessageContaining(
                        "Setting 'stem-channels' of architecture 'mobilenet' is '0'; it must be an"
                                + " integer >= 1.")
                .hasMessageContaining(
                        "Setting 'widths' of architecture 'mobilenet' is '[32,-4]'; it must be a"
                                + " list of widths, each at least 1.")
                .hasMessageContaining(
                        "Setting 'strides' of architecture 'mobilenet' is '[4]'; it must be a list"
                                + " with one stride per block")
                .hasMessageContaining(
                        "Setting 'strides' of architecture 'mobilenet' is '[4]'; it must be a list"
                                + " of strides, each 1 or 2.")
                .hasMessageEndingWith("4 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }
}
