package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class TestCasts {
    @Test
    void testCastsKeepTheGraph() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray wide = Casts.to(x, DataType.FLOAT64);
                assertThat(wide.getDataType()).isEqualTo(DataType.FLOAT64);
                NDArray narrow = Casts.to(wide.square().sum(), DataType.FLOAT32);
                assertThat(narrow.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(narrow.getShape()).isEqualTo(new Shape());
                assertThat(narrow.getFloat()).isEqualTo(14f);
                collector.backward(narrow);
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(new float[] {2, 4, 6}, withPrecision(1e-6f));
        }
    }

    @Test
    void testNarrowingANonScalarFails() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new double[] {1, 2});
            assertThatThrownBy(() -> Casts.to(x, DataType.FLOAT32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(2)");
            assertThat(Casts.to(x, DataType.FLOAT64)).isSameAs(x);
            assertThat(Casts.atLeastFloat32(x)).isSameAs(x);
            assertThat(Casts.atLeastFloat32(x.toType(DataType.FLOAT16, false)).getDataType())
                    .isEqualTo(DataType.FLOAT32);
        }
    }

    @Test
    void testScalarsKeepTheType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // A Java double combined with a 0-dim float32 array would otherwise give float64.
            NDArray loss = manager.create(2f);
            assertThat(Scalars.mul(loss, 0.1).getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(Scalars.add(loss, 1e-24).getDataType()).isEqualTo(DataType.FLOAT32);
            NDArray precise = manager.create(2.0);
            assertThat(Scalars.mul(precise, 0.1).getDouble()).isEqualTo(0.2);
        }
    }
}
