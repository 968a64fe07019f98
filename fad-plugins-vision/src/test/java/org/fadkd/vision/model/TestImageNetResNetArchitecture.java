package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * {@code imagenet-resnet} on 3×64×64 inputs, which keep forward passes cheap; its sizes at
 * 3×224×224 are checked against torchvision's in {@link TestReferenceFamilies}.
 */
final class TestImageNetResNetArchitecture {
    private static final ImageNetResNetArchitectureFactory FACTORY =
            new ImageNetResNetArchitectureFactory();
    private static final Shape SAMPLE = new Shape(3, 64, 64);
    private static final List<String> TAPS =
            List.of("stem", "layer1", "layer2", "layer3", "layer4");

    @Test
    void testDefaults() {
        assertThat(ImageNetResNetSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new ImageNetResNetSettings(18, 1.0));
    }

    @Test
    void testResNet18Taps() {
        // the stem divides the side by 4, layer2..layer4 halve it each: 64 → 16, 16, 8, 4, 2
        TestingModels.assertForward(
                TestingModels.create(FACTORY, Map.of()),
                SAMPLE,
                10,
                TAPS,
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 64, 16, 16),
                        new Shape(2, 64, 16, 16),
                        new Shape(2, 128, 8, 8),
                        new Shape(2, 256, 4, 4),
                        new Shape(2, 512, 2, 2)));
    }

    @Test
    void testNarrowResNet50TapsAndGradients() {
        // base width 64 · 0.25 = 16; bottlenecks widen each stage's output four times
        Map<String, Object> settings = Map.of("depth", 50, "width-multiplier", 0.25);
        TestingModels.assertForward(
                TestingModels.create(FACTORY, settings),
                SAMPLE,
                10,
                TAPS,
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 16, 16, 16),
                        new Shape(2, 64, 16, 16),
                        new Shape(2, 128, 8, 8),
                        new Shape(2, 256, 4, 4),
                        new Shape(2, 512, 2, 2)));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(FACTORY, settings), manager, SAMPLE, 10);

            assertThat(
                            TestingModels.parametersWithoutGradient(
                                    block, manager, TestingModels.batchOfTwo(SAMPLE)))
                    .isEmpty();
        }
    }

    @Test
    void testRejectsUnsupportedDepthAndWidth() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY, Map.of("depth", 20, "width-multiplier", 0.001)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'depth' of architecture 'imagenet-resnet' is '20'; it must be one"
                                + " of 18, 34, 50, 101 or 152.")
                .hasMessageContaining(
                        "Setting 'width-multiplier' of architecture 'imagenet-resnet' is '0.001'")
                .hasMessageEndingWith("2 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }
}
