package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.TrainingProgress;
import org.junit.jupiter.api.Test;

final class TestGradientGuard {
    /** Back-propagates {@code scale · Σ w·x} into the block's gradients. */
    private static void backward(Block block, NDManager manager, float scale) {
        try (GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray input = manager.create(new float[] {1f, 2f}, new Shape(1, 2));
            NDArray output = block.forward(new ParameterStore(manager, false), new NDList(input), true).head();
            collector.backward(output.sum().mul(scale));
        }
    }

    private static float[] gradient(Block block) {
        return block.getParameters().valueAt(0).getArray().getGradient().toFloatArray();
    }

    @Test
    void testFiniteGradientsPassAndInfiniteOnesAreZeroedAndCounted() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Linear.builder().setUnits(1).optBias(false).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            GradientGuard guard = new GradientGuard();
            TrainingProgress progress = new TrainingProgress(1, 1, 0);

            try (NDManager step = manager.newSubManager()) {
                backward(block, step, 1f);
                assertThat(guard.admit(List.of(block), progress, step)).isTrue();
            }
            assertThat(gradient(block)).containsExactly(1f, 2f);

            try (NDManager step = manager.newSubManager()) {
                backward(block, step, Float.POSITIVE_INFINITY);
                assertThat(guard.admit(List.of(block), progress, step)).isFalse();
            }
            // Zeroed outright: subtracting an infinite gradient from itself would have left NaN.
            assertThat(gradient(block)).containsExactly(0f, 0f);
            assertThat(guard.skipped()).isEqualTo(1);
        }
    }

    @Test
    void testTooManyConsecutiveBadStepsStopTheRun() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Linear.builder().setUnits(1).optBias(false).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            GradientGuard guard = new GradientGuard();
            for (int i = 0; i < GradientGuard.PATIENCE - 1; i++) {
                try (NDManager step = manager.newSubManager()) {
                    backward(block, step, Float.NaN);
                    assertThat(guard.admit(List.of(block), new TrainingProgress(2, 3, i), step)).isFalse();
                }
            }
            try (NDManager step = manager.newSubManager()) {
                backward(block, step, Float.NaN);
                assertThatThrownBy(() -> guard.admit(List.of(block), new TrainingProgress(2, 3, 99), step))
                        .isInstanceOf(FadException.class)
                        .hasMessageContaining("Training diverged in epoch 2 at step 99")
                        .satisfies(e -> assertThat(((FadException) e).getErrorCode())
                                .isEqualTo(ErrorCode.TRAINING_DIVERGED));
            }
        }
    }
}
