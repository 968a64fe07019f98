package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.ArchitectureFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

/**
 * Every parameter of every family's default model gets a gradient from the task loss, on 1×28×28
 * samples (1×64×64 for torchvision's ImageNet families; {@link TestingModels#sampleFor} says why).
 */
final class TestArchitectureGradients {
    @ParameterizedTest
    @MethodSource("org.fadkd.vision.model.TestingModels#families")
    void testGradientReachesEveryParameter(ArchitectureFactory factory) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape sample = TestingModels.sampleFor(factory);
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(factory, Map.of()), sample, manager);

            assertThat(
                            TestingModels.parametersWithoutGradient(
                                    block, TestingModels.batchOf(sample), manager))
                    .as(factory.getName())
                    .isEmpty();
        }
    }
}
