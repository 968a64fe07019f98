package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code imagenet-vgg} on 3×64×64 inputs, which keep the forward pass cheap and exercise the
 * adaptive pooling (it stretches the last 2×2 map to 7×7); its sizes at 3×224×224 are checked
 * against torchvision's in {@link TestReferenceFamilies}.
 */
final class TestImageNetVggArchitecture {
    private static final ImageNetVggArchitectureFactory FACTORY =
            new ImageNetVggArchitectureFactory();
    private static final Shape SAMPLE = new Shape(3, 64, 64);

    @Test
    void testDefaults() {
        assertThat(VggLayout.from(FACTORY.getDefaults(), FACTORY.getName(), Set.of(11)))
                .isEqualTo(new VggLayout(11, true));
    }

    /**
     * One test for the taps and the gradients, so the 120-million-parameter model is built once;
     * {@link TestArchitectureGradients} cannot take this family at 1×28×28.
     */
    @Test
    void testTapsAndGradientsOfVgg11() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());
        Shape batch = TestingModels.batchOfTwo(SAMPLE);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager, SAMPLE, 10);

            assertThat(architecture.getTapNames())
                    .containsExactly("block1", "block2", "block3", "block4", "block5");
            assertThat(TestingModels.forwardShapes(block, manager, batch))
                    .containsExactly(
                            new Shape(2, 10),
                            new Shape(2, 64, 32, 32),
                            new Shape(2, 128, 16, 16),
                            new Shape(2, 256, 8, 8),
                            new Shape(2, 512, 4, 4),
                            new Shape(2, 512, 2, 2));
            assertThat(TestingModels.parametersWithoutGradient(block, manager, batch)).isEmpty();
        }
        // the classifier reads the flattened map through hidden layers, not its spatial mean
        assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.NONE);
    }

    @Test
    void testRejectsInputsBelow32Pixels() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        assertThatThrownBy(() -> architecture.newBlock(new Shape(3, 28, 28), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Architecture 'imagenet-vgg' pools 5 times and shrinks samples of shape"
                                + " (3, 28, 28) to nothing.")
                .hasMessageContaining("use 'cifar-vgg' for smaller ones")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }

    @Test
    void testRejectsUnsupportedDepth() {
        assertThatThrownBy(() -> TestingModels.create(FACTORY, Map.of("depth", 8)))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Setting 'depth' of architecture 'imagenet-vgg' is '8'; it must be one of"
                                + " [11, 13, 16, 19].")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }
}
