package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.vision.model.TestingModels.batchNorm;
import static org.fadkd.vision.model.TestingModels.linear;

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

final class TestMlpArchitecture {
    private static final MlpArchitectureFactory FACTORY = new MlpArchitectureFactory();

    /** A hidden layer followed by batch norm has no bias. */
    private static long linearWithoutBias(int in, int out) {
        return (long) in * out;
    }

    @Test
    void testDefaults() {
        assertThat(MlpSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new MlpSettings(List.of(32, 32, 32), true));
    }

    @Test
    void testDefaultShapesAndTaps() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        TestingModels.assertForward(
                architecture,
                List.of("hidden1", "hidden2", "hidden3"),
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 32),
                        new Shape(2, 32),
                        new Shape(2, 32)));
        assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.LAST_TAP);
    }

    @Test
    void testDefaultParameterCount() {
        long expected =
                linearWithoutBias(28 * 28, 32)
                        + batchNorm(32)
                        + linearWithoutBias(32, 32)
                        + batchNorm(32)
                        + linearWithoutBias(32, 32)
                        + batchNorm(32)
                        + linear(32, 10);
        assertThat(TestingModels.trainableParameters(FACTORY, Map.of()))
                .isEqualTo(expected)
                .isEqualTo(27_658);
    }

    @Test
    void testWithoutBatchNormTheHiddenLayersHaveBiases() {
        Architecture architecture =
                TestingModels.create(
                        FACTORY, Map.of("hidden", List.of(64, 16), "batch-norm", false));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager);

            assertThat(TestingModels.trainableParameters(block))
                    .isEqualTo(linear(28 * 28, 64) + linear(64, 16) + linear(16, 10));
            assertThat(TestingModels.forwardShapes(block, manager))
                    .containsExactly(new Shape(2, 10), new Shape(2, 64), new Shape(2, 16));
            assertThat(TestingModels.parametersWithoutGradient(block, manager)).isEmpty();
        }
    }

    @Test
    void testRejectsInvalidSettings() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY,
                                        Map.of("hidden", List.of(32, 0), "batch-norm", "maybe")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Invalid settings for architecture 'mlp'")
                .hasMessageContaining(
                        "Setting 'hidden' of architecture 'mlp' is '[32,0]'; it must be a list of"
                                + " layer sizes, each at least 1.")
                .hasMessageContaining(
                        "Setting 'batch-norm' of architecture 'mlp' is 'maybe'; it must be true or"
                                + " false.")
                .hasMessageEndingWith("2 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(() -> TestingModels.create(FACTORY, Map.of("hidden", List.of())))
                .hasMessage(
                        "Setting 'hidden' of architecture 'mlp' is '[]'; it must be a list with at"
                                + " least one hidden layer.");
    }
}
