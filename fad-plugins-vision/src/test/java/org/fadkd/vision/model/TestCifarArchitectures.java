package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;

import org.fadkd.api.Architecture;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CIFAR families ({@code cifar-resnet}, {@code wide-resnet}, {@code cifar-vgg}) at 3×32×32 with
 * 100 classes: their taps and their errors. Their sizes are checked against a PyTorch port of
 * RepDistiller's models in {@link TestReferenceFamilies}, their gradients at 1×28×28 in {@link
 * TestArchitectureGradients}.
 */
final class TestCifarArchitectures {
    private static final Shape CIFAR = new Shape(3, 32, 32);

    @Test
    void testDefaults() {
        assertThat(CifarResNetSettings.from(new CifarResNetArchitectureFactory().getDefaults()))
                .isEqualTo(new CifarResNetSettings(20, List.of(16, 16, 32, 64)));
        assertThat(WideResNetSettings.from(new WideResNetArchitectureFactory().getDefaults()))
                .isEqualTo(new WideResNetSettings(16, 2));
        CifarVggArchitectureFactory vgg = new CifarVggArchitectureFactory();
        assertThat(VggLayout.from(vgg.getDefaults(), vgg.getName(), Set.of(13)))
                .isEqualTo(new VggLayout(13, true));
    }

    @Test
    void testResNet8x4Taps() {
        // layer1 widens 32 → 64 without a stride, so its first block projects too
        TestingModels.assertForward(
                TestingModels.fromOption("resnet8x4"),
                CIFAR,
                100,
                List.of("stem", "layer1", "layer2", "layer3"),
                List.of(
                        new Shape(2, 100),
                        new Shape(2, 32, 32, 32),
                        new Shape(2, 64, 32, 32),
                        new Shape(2, 128, 16, 16),
                        new Shape(2, 256, 8, 8)));
    }

    @Test
    void testWideResNet16x2Taps() {
        TestingModels.assertForward(
                TestingModels.fromOption("wrn-16-2"),
                CIFAR,
                100,
                List.of("stem", "block1", "block2", "block3"),
                List.of(
                        new Shape(2, 100),
                        new Shape(2, 16, 32, 32),
                        new Shape(2, 32, 32, 32),
                        new Shape(2, 64, 16, 16),
                        new Shape(2, 128, 8, 8)));
    }

    @Test
    void testVgg8TapsAt32And64Pixels() {
        List<String> taps = List.of("block1", "block2", "block3", "block4", "block5");
        // at 32 pixels the last two groups share the 4×4 map
        TestingModels.assertForward(
                TestingModels.fromOption("cifar-vgg8"),
                CIFAR,
                100,
                taps,
                List.of(
                        new Shape(2, 100),
                        new Shape(2, 64, 32, 32),
                        new Shape(2, 128, 16, 16),
                        new Shape(2, 256, 8, 8),
                        new Shape(2, 512, 4, 4),
                        new Shape(2, 512, 4, 4)));
        // from 64 pixels a fourth pooling brings the last group to 4×4 again
        TestingModels.assertForward(
                TestingModels.fromOption("cifar-vgg8"),
                new Shape(3, 64, 64),
                200,
                taps,
                List.of(
                        new Shape(2, 200),
                        new Shape(2, 64, 64, 64),
                        new Shape(2, 128, 32, 32),
                        new Shape(2, 256, 16, 16),
                        new Shape(2, 512, 8, 8),
                        new Shape(2, 512, 4, 4)));
    }

    @Test
    void testRejectsDepthsOutsideTheFamilies() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new CifarResNetArchitectureFactory(),
                                        Map.of("depth", 18, "widths", List.of(16, 32, 64))))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'depth' of architecture 'cifar-resnet' is '18'; it must be 6n + 2")
                .hasMessageContaining(
                        "Setting 'widths' of architecture 'cifar-resnet' is '[16,32,64]'; it must"
                                + " be a list of 4 widths")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new WideResNetArchitectureFactory(), Map.of("depth", 18)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'depth' of architecture 'wide-resnet' is '18'; it must be 6n + 4");
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        new CifarVggArchitectureFactory(), Map.of("depth", 12)))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'depth' of architecture 'cifar-vgg' is '12'; it must be one of"
                                + " [8, 11, 13, 16, 19].");
    }

    @Test
    void testVggRejectsInputsBelow8Pixels() {
        Architecture architecture = TestingModels.fromOption("cifar-vgg8");

        assertThatThrownBy(() -> architecture.newBlock(new Shape(3, 7, 7), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Architecture 'cifar-vgg' pools 3 times and shrinks samples of shape"
                                + " (3, 7, 7) to nothing.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }
}
