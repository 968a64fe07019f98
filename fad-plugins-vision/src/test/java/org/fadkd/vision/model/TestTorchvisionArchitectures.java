package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The torchvision families' taps and settings: tap names and the shapes of a forward pass on a
 * batch of two 3×64×64 images (small, so the test stays fast; every family halves the side five
 * times, to 2), and the errors for settings and inputs they cannot take.
 */
final class TestTorchvisionArchitectures {
    private static final Shape SAMPLE = new Shape(3, 64, 64);
    private static final List<String> BY_STRIDE =
            List.of("stem", "stage1", "stage2", "stage3", "stage4", "conv");

    /** The logits of the batch of two, then one (2, C, side, side) map per {@code channels} entry. */
    private static List<Shape> shapes(int[] channels, int[] sides) {
        List<Shape> shapes = new ArrayList<>(List.of(new Shape(2, 10)));
        for (int tap = 0; tap < channels.length; tap++) {
            shapes.add(new Shape(2, channels[tap], sides[tap], sides[tap]));
        }
        return shapes;
    }

    private static void assertTaps(
            ArchitectureFactory factory,
            Map<String, ?> settings,
            List<String> tapNames,
            int[] channels,
            int[] sides) {
        TestingModels.assertForward(
                TestingModels.create(factory, settings), SAMPLE, 10, tapNames, shapes(channels, sides));
    }

    @Test
    void testMobileNetV2Taps() {
        assertTaps(
                new MobileNetV2ArchitectureFactory(),
                Map.of(),
                BY_STRIDE,
                new int[] {16, 24, 32, 96, 320, 1280},
                new int[] {32, 16, 8, 4, 2, 2});
    }

    @Test
    void testMobileNetV2WidthKeepsTheLastConvolutionAt1280() {
        // 0.5 halves every block (rounded to multiples of 8) but not the last 1×1 convolution
        assertTaps(
                new MobileNetV2ArchitectureFactory(),
                Map.of("width", 0.5),
                BY_STRIDE,
                new int[] {8, 16, 16, 48, 160, 1280},
                new int[] {32, 16, 8, 4, 2, 2});
    }

    @Test
    void testMobileNetV3LargeTaps() {
        assertTaps(
                new MobileNetV3ArchitectureFactory(),
                Map.of("size", "large"),
                BY_STRIDE,
                new int[] {16, 24, 40, 112, 160, 960},
                new int[] {32, 16, 8, 4, 2, 2});
    }

    @Test
    void testMobileNetV3SmallTaps() {
        // small's first block already has stride 2, so its stem tap is the stem convolution alone
        assertTaps(
                new MobileNetV3ArchitectureFactory(),
                Map.of("size", "small"),
                BY_STRIDE,
                new int[] {16, 16, 24, 48, 96, 576},
                new int[] {32, 16, 8, 4, 2, 2});
    }

    @Test
    void testShuffleNetV2Taps() {
        assertTaps(
                new ShuffleNetV2ArchitectureFactory(),
                Map.of("multiplier", 0.5),
                List.of("stem", "stage2", "stage3", "stage4", "conv5"),
                new int[] {24, 48, 96, 192, 1024},
                new int[] {16, 8, 4, 2, 2});
    }

    @Test
    void testDenseNetTaps() {
        // 121: 64 stem channels; each block adds 6, 12, 24, 16 layers of 32; transitions halve
        assertTaps(
                new DenseNetArchitectureFactory(),
                Map.of(),
                List.of("stem", "stage1", "stage2", "stage3", "stage4"),
                new int[] {64, 128, 256, 512, 1024},
                new int[] {16, 8, 4, 2, 2});
    }

    @Test
    void testEfficientNetTaps() {
        assertTaps(
                new EfficientNetArchitectureFactory(),
                Map.of(),
                BY_STRIDE,
                new int[] {16, 24, 40, 112, 320, 1280},
                new int[] {32, 16, 8, 4, 2, 2});
    }

    @Test
    void testMakeDivisibleRoundsAsTorchvision() {
        assertThat(MobileUnits.makeDivisible(32 * 1.1, 8)).isEqualTo(32); // 35.2 → 32
        assertThat(MobileUnits.makeDivisible(40 * 1.1, 8)).isEqualTo(48); // 44 → 48, ties up
        assertThat(MobileUnits.makeDivisible(24 * 0.75, 8)).isEqualTo(24); // 16 is > 10 % below 18
        assertThat(MobileUnits.makeDivisible(3, 8)).isEqualTo(8); // never below the divisor
    }

    @Test
    void testRejectsUnsupportedVariants() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new EfficientNetArchitectureFactory(),
                                        Map.of("variant", "b8")))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'variant' of architecture 'efficientnet' is 'b8'; it must be one"
                                + " of b0, b1, b2, b3, b4, b5, b6, b7.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new ShuffleNetV2ArchitectureFactory(),
                                        Map.of("multiplier", 0.75)))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'multiplier' of architecture 'shufflenet-v2' is '0.75'; it must"
                                + " be a number in {0.5, 1.0, 1.5, 2.0}.");
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new DenseNetArchitectureFactory(), Map.of("depth", 100)))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'depth' of architecture 'densenet' is '100'; it must be one of"
                                + " 121, 161, 169 or 201.");
    }

    @Test
    void testRejectsInvalidMobileNetV3SettingsAllAtOnce() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new MobileNetV3ArchitectureFactory(),
                                        Map.of("size", "medium", "width", 0)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'size' of architecture 'mobilenet-v3' is 'medium'; it must be one"
                                + " of large, small.")
                .hasMessageContaining(
                        "Setting 'width' of architecture 'mobilenet-v3' is '0'; it must be a number"
                                + " in (0, inf).")
                .hasMessageEndingWith("2 errors");
    }

    @Test
    void testDenseNetRejectsImagesBelow29Pixels() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(new DenseNetArchitectureFactory(), Map.of())
                                        .newBlock(TestingModels.SAMPLE, 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("needs images of at least 29x29 pixels")
                .hasMessageContaining("(1, 28, 28)")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        assertThat(
                        TestingModels.create(new DenseNetArchitectureFactory(), Map.of())
                                .newBlock(new Shape(1, 29, 29), 10))
                .isNotNull();
    }
}
