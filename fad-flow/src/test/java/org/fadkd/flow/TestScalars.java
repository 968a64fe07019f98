package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Scalars' constants survive until the backward pass. Before they were PyTorch-owned copies, a
 * collection between forward and backward freed the constant's Java buffer and the gradient read
 * freed memory: this test then saw gradients like −3.3e34 instead of 7.
 */
final class TestScalars {
    @Test
    void testGradientsReadTheConstantAfterTheGarbageCollectorRan() {
        // x = (1, 2, 3); each gradient is computed by hand.
        assertGradient(x -> Scalars.mul(x, 7).sum(), new double[] {7, 7, 7});
        assertGradient(x -> Scalars.div(x, 4).sum(), new double[] {0.25, 0.25, 0.25});
        assertGradient(x -> Scalars.pow(x, 3).sum(), new double[] {3, 12, 27});
        assertGradient(x -> Scalars.maximum(x, 2.5).sum(), new double[] {0, 0, 1});
        assertGradient(x -> Scalars.add(x, 5).square().sum(), new double[] {12, 14, 16});
    }

    @Test
    void testConstantsKeepTheArraysType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(2), type);
                assertThat(Scalars.of(x, 0.1).getDataType()).isEqualTo(type);
                assertThat(Scalars.mul(x, 0.1).getDataType()).isEqualTo(type);
            }
            NDArray wide = manager.create(new double[] {1});
            // Full float64 precision: 0.1 is not rounded to float32 on the way.
            assertThat(Scalars.mul(wide, 0.1).toDoubleArray()[0]).isEqualTo(0.1);
        }
    }

    private static void assertGradient(UnaryOperator<NDArray> function, double[] expected) {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.create(new double[] {1, 2, 3}).toType(type, false);
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = function.apply(x);
                    collectAndReuseFreedBuffers();
                    collector.backward(y);
                }
                assertThat(x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray())
                        .as(type.toString())
                        .containsExactly(expected, withPrecision(1e-6));
            }
        }
    }

    /** Frees unreachable direct buffers and fills freshly allocated ones with NaN, which tends to reuse their memory. */
    private static void collectAndReuseFreedBuffers() {
        for (int round = 0; round < 10; round++) {
            System.gc();
            List<ByteBuffer> junk = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(8);
                buffer.putDouble(0, Double.NaN);
                junk.add(buffer);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
