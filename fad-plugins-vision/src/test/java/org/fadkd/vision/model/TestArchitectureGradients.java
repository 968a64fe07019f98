package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import org.fadkd.api.ArchitectureFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * Every parameter of every family's default model (vit: a small one, see {@link
 * TestingModels#settingsForSample}) gets a gradient from the task loss, on 1×28×28 inputs; {@code
 * imagenet-vgg} cannot take them and is checked at 3×64×64 in {@link TestImageNetVggArchitecture}.
 */
final class TestArchitectureGradients {
    @ParameterizedTest
    @MethodSource("org.fadkd.vision.model.TestingModels#familiesFor28Pixels")
    void testGradientReachesEveryParameter(ArchitectureFactory factory) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(
                                    factory, TestingModels.settingsForSample(factory)),
                            manager);

            assertThat(TestingModels.parametersWithoutGradient(block, manager))
                    .as(factory.getName())
                    .filteredOn(name -> !TestingModels.isKeyProjectionBias(name))
                    .isEmpty();
        }
    }
}
