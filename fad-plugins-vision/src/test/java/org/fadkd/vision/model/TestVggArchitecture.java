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

final class TestVggArchitecture {
    private static final VggArchitectureFactory FACTORY = new VggArchitectureFactory();

    /** A conv-BN-ReLU unit. */
    private static long unit(int in, int out) {
        return conv(3, in, out) + batchNorm(out);
    }

    @Test
    void testDefaults() {
        assertThat(VggSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new VggSettings(List.of(8, 16, 32), 2));
    }

    @Test
    void testDefaultShapesAndTaps() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        TestingModels.assertForward(
                architecture,
                List.of("stage1", "stage2", "stage3"),
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 8, 14, 14),
                        new Shape(2, 16, 7, 7),
                        new Shape(2, 32, 3, 3)));
    }

    @Test
    void testDefaultParameterCount() {
        long expected =
                unit(1, 8)
                        + unit(8, 8)
                        + unit(8, 16)
                        + unit(16, 16)
                        + unit(16, 32)
                        + unit(32, 32)
                        + linear(32, 10);
        assertThat(TestingModels.trainableParameters(FACTORY, Map.of()))
                .isEqualTo(expected)
                .isEqualTo(18_482);
    }

    @Test
    void testThreeConvolutionsPerStage() {
        Architecture architecture =
                TestingModels.create(
                        FACTORY, Map.of("widths", List.of(4, 8), "convolutions-per-stage", 3));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager);

            assertThat(TestingModels.trainableParameters(block))
                    .isEqualTo(
                            unit(1, 4) + 2 * unit(4, 4) + unit(4, 8) + 2 * unit(8, 8)
                                    + linear(8, 10));
            assertThat(TestingModels.forwardShapes(block, manager))
                    .containsExactly(
                            new Shape(2, 10), new Shape(2, 4, 14, 14), new Shape(2, 8, 7, 7));
        }
    }

    @Test
    void testRejectsInvalidSettings() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY,
                                        Map.of(
                                                "widths",
                                                List.of(0),
                                                "convolutions-per-stage",
                                                0)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Invalid settings for architecture 'vgg'")
                .hasMessageContaining(
                        "Setting 'widths' of architecture 'vgg' is '[0]'; it must be a list of"
                                + " widths, each at least 1.")
                .hasMessageContaining(
                        "Setting 'convolutions-per-stage' of architecture 'vgg' is '0'; it must be"
                                + " an integer >= 1.")
                .hasMessageEndingWith("2 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testRejectsMoreStagesThanThePoolingAllows() {
        Architecture architecture =
                TestingModels.create(FACTORY, Map.of("widths", List.of(4, 4, 4, 4, 4)));

        assertThatThrownBy(() -> architecture.newBlock(new Shape(1, 28, 28), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Architecture 'vgg' pools 5 times and shrinks samples of shape (1, 28, 28)"
                                + " to nothing. Use fewer entries in 'widths'")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }
}
