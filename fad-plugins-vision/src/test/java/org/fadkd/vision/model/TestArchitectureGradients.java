package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.ArchitectureFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parameter of every family's default model gets a gradient from the task loss, on 1×28×28
 * samples: vit as a small model ({@link TestingModels#settingsForSample}), torchvision's mobile
 * families at 1×64×64 ({@link TestingModels#sampleFor} says why); {@code imagenet-vgg} cannot take
 * such inputs and is checked at 3×64×64 in {@link TestImageNetVggArchitecture}.
 */
final class TestArchitectureGradients {
    @ParameterizedTest
    @MethodSource("org.fadkd.vision.model.TestingModels#familiesFor28Pixels")
    void testGradientReachesEveryParameter(ArchitectureFactory factory) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape sample = TestingModels.sampleFor(factory);
            Block block = TestingModels.initialized(
                    TestingModels.create(factory, TestingModels.settingsForSample(factory)), manager, sample, 10);

            assertThat(TestingModels.parametersWithoutGradient(block, manager, TestingModels.batchOfTwo(sample)))
                    .as(factory.getName())
                    .filteredOn(name -> !TestingModels.isKeyProjectionBias(name))
                    .isEmpty();
        }
    }
}
