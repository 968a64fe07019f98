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

final class TestCnnArchitecture {
    private static final CnnArchitectureFactory FACTORY = new CnnArchitectureFactory();

    @Test
    void testDefaults() {
        assertThat(CnnSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new CnnSettings(List.of(16, 32, 64), List.of(true, true, false)));
    }

    @Test
    void testDefaultShapesAndTaps() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        TestingModels.assertForward(
                architecture,
                List.of("conv1", "conv2", "conv3"),
                List.of(
                        new Shape(2, 10),
                        new Shape(2, 16, 14, 14),
                        new Shape(2, 32, 7, 7),
                        new Shape(2, 64, 7, 7)));
    }

    @Test
    void testDefaultParameterCountAndCompressionRatio() {
        long expected =
                conv(3, 1, 16)
                        + batchNorm(16)
                        + conv(3, 16, 32)
                        + batchNorm(32)
                        + conv(3, 32, 64)
                        + batchNorm(64)
                        + linear(64, 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student =
                    TestingModels.initialized(TestingModels.create(FACTORY, Map.of()), manager);
            Block teacher =
                    TestingModels.initialized(
                            TestingModels.create(new ResNetArchitectureFactory(), Map.of()),
                            manager);

            long studentParameters = TestingModels.trainableParameters(student);
            assertThat(studentParameters).isEqualTo(expected).isEqualTo(24_058);
            // BN running mean and variance are parameters too, but not trainable ones
            long all =
                    student.getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            assertThat(all).isEqualTo(expected + batchNorm(16) + batchNorm(32) + batchNorm(64));
            assertThat((double) TestingModels.trainableParameters(teacher) / studentParameters)
                    .isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void testRejectsInvalidSettings() {
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY,
                                        Map.of("widths", List.of(-1, 8), "pool", List.of(true))))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Invalid settings for architecture 'cnn'")
                .hasMessageContaining(
                        "Setting 'widths' of architecture 'cnn' is '[-1,8]'; it must be a list of"
                                + " widths, each at least 1.")
                .hasMessageContaining(
                        "Setting 'pool' of architecture 'cnn' is '[true]'; it must be a list with"
                                + " one entry per stage")
                .hasMessageEndingWith("2 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(
                        () ->
                                TestingModels.create(
                                        FACTORY, Map.of("widths", List.of(), "pool", List.of())))
                .hasMessage(
                        "Setting 'widths' of architecture 'cnn' is '[]'; it must be a list with at"
                                + " least one stage.");
    }

    @Test
    void testRejectsPoolingBelowOnePixel() {
        Architecture architecture =
                TestingModels.create(
                        FACTORY,
                        Map.of(
                                "widths",
                                List.of(4, 4, 4, 4, 4),
                                "pool",
                                List.of(true, true, true, true, true)));

        assertThatThrownBy(() -> architecture.newBlock(new Shape(1, 28, 28), 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("shrinks samples of shape (1, 28, 28) to nothing")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }
}
