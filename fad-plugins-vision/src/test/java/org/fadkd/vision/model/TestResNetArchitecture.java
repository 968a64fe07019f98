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

final class TestResNetArchitecture {
    private static final ResNetArchitectureFactory FACTORY = new ResNetArchitectureFactory();

    @Test
    void testDefaults() {
        assertThat(ResNetSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new ResNetSettings(32, List.of(32, 64, 128), List.of(2, 2, 2), 1));
    }

    @Test
    void testDefaultShapesAndTaps() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        TestingModels.assertForward(
                architecture,
                List.of("stem", "stage1", "stage2", "stage3"),
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 32, 28, 28),
                        new Shape(2, 32, 14, 14),
                        new Shape(2, 64, 7, 7),
                        new Shape(2, 128, 4, 4)));
    }

    @Test
    void testDefaultParameterCount() {
        long stem = conv(3, 1, 32) + batchNorm(32);
        long stage1 =
                conv(3, 32, 32)
                        + batchNorm(32)
                        + conv(3, 32, 32)
                        + batchNorm(32)
                        + conv(1, 32, 32)
                        + batchNorm(32);
        long stage2 =
                conv(3, 32, 64)
                        + batchNorm(64)
                        + conv(3, 64, 64)
                        + batchNorm(64)
                        + conv(1, 32, 64)
                        + batchNorm(64);
        long stage3 =
                conv(3, 64, 128)
                        + batchNorm(128)
                        + conv(3, 128, 128)
                        + batchNorm(128)
                        + conv(1, 64, 128)
                        + batchNorm(128);
        long head = linear(128, 10);
        assertThat(TestingModels.trainableParameters(FACTORY, Map.of()))
                .isEqualTo(stem + stage1 + stage2 + stage3 + head)
                .isEqualTo(309_162);
    }

    @Test
    void testIdentityShortcutsAndSeveralBlocksPerStage() {
        Architecture architecture =
                TestingModels.create(
                        FACTORY,
                        Map.of(
                                "widths",
                                List.of(32, 48),
                                "strides",
                                List.of(1, 2),
                                "blocks-per-stage",
                                2));
        long stem = conv(3, 1, 32) + batchNorm(32);
        long identityBlock32 = 2 * (conv(3, 32, 32) + batchNorm(32));
        long projectedBlock48 =
                conv(3, 32, 48)
                        + batchNorm(48)
                        + conv(3, 48, 48)
                        + batchNorm(48)
                        + conv(1, 32, 48)
                        + batchNorm(48);
        long identityBlock48 = 2 * (conv(3, 48, 48) + batchNorm(48));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager);

            assertThat(TestingModels.forwardShapes(block, manager))
                    .containsExactly(
                            new Shape(2, 10),
                            new Shape(2, 32, 28, 28),
                            new Shape(2, 32, 28, 28),
                            new Shape(2, 48, 14, 14));
            assertThat(TestingModels.trainableParameters(block))
                    .isEqualTo(
                            stem
                                    + 2 * identityBlock32
                                    + projectedBlock48
                                    + identityBlock48
                                    + linear(48, 10));
            assertThat(TestingModels.parametersWithoutGradient(block, manager)).isEmpty();
        }
    }

    @Test
    void testSameParameterNamesWhenBuiltTwice() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> first =
                    TestingModels.initialized(architecture, manager).getParameters().keys();
            List<String> second =
                    TestingModels.initialized(architecture, manager).getParameters().keys();

            assertThat(second).isEqualTo(first);
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
                                                List.of(32, 0),
                                                "strides",
                                                List.of(3),
                                                "stem-channels",
                                                0)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Invalid settings for architecture 'resnet'")
                .hasMessageContaining(
                        "Setting 'stem-channels' of architecture 'resnet' is '0'; it must be an"
                                + " integer >= 1.")
                .hasMessageContaining(
                        "Setting 'widths' of architecture 'resnet' is '[32,0]'; it must be a list"
                                + " of widths, each at least 1.")
                .hasMessageContaining(
                        "Setting 'strides' of architecture 'resnet' is '[3]'; it must be a list"
                                + " with one stride per stage")
                .hasMessageContaining(
                        "Setting 'strides' of architecture 'resnet' is '[3]'; it must be a list"
                                + " of strides, each 1 or 2.")
                .hasMessageEndingWith("4 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        // a value that cannot be read is one problem, not also the checks its placeholder fails
        assertThatThrownBy(() -> TestingModels.create(FACTORY, Map.of("widths", "wide")))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'widths' of architecture 'resnet' is 'wide'; it must be a list of"
                                + " integers.");
    }

    @Test
    void testRejectsNonImageInput() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        assertThatThrownBy(() -> architecture.newBlock(new Shape(784), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Architecture 'resnet' takes images of shape (C, H, W), got samples of"
                            + " shape (784)")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }
}
