package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

final class TestLossWeights {
    private static final double TOLERANCE = 1e-7;

    @Test
    void testAdaptiveExample61() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossWeights weights = LossWeights.adaptive(
                    manager.create(new double[] {0.9, 0.4, 0.6, 0.2, 0.5}),
                    manager.create(new double[] {0.7, 0.3, 0.5}));
            assertThat(weights.alpha()).isCloseTo(0.5000000025, withinPercentage(TOLERANCE));
            assertThat(weights.beta()).isCloseTo(0.245098038, withinPercentage(TOLERANCE));
            assertThat(weights.gamma()).isCloseTo(0.2549019595, withinPercentage(TOLERANCE));
            assertThat(weights.alpha() + weights.beta() + weights.gamma())
                    .isCloseTo(1, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testAdaptiveFromFloat32Profiles() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossWeights weights = LossWeights.adaptive(
                    manager.create(new float[] {0.9f, 0.4f, 0.6f, 0.2f, 0.5f}),
                    manager.create(new float[] {0.7f, 0.3f, 0.5f}));
            assertThat(weights.gamma()).isCloseTo(0.2549019595, withinPercentage(1e-3));
        }
    }
}
