package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

final class TestDepthInterpolation {
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double[] STUDENT = {0.7, 0.3, 0.5};

    @Test
    void testResampleExample31() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT);
            int grid = DepthInterpolation.commonGridSize(TEACHER.length, STUDENT.length);
            assertThat(grid).isEqualTo(5);
            NDArray resampled = DepthInterpolation.resample(student, grid);
            assertThat(resampled.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(resampled.toDoubleArray())
                    .containsExactly(new double[] {0.7, 0.5, 0.3, 0.4, 0.5}, withPrecision(1e-15));
            assertThat(DepthInterpolation.resample(STUDENT, grid))
                    .containsExactly(resampled.toDoubleArray(), withPrecision(1e-15));
        }
    }

    @Test
    void testEqualLengthsInterpolateNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = manager.create(TEACHER);
            assertThat(DepthInterpolation.resample(teacher, TEACHER.length)).isSameAs(teacher);
            // Points on the grid hit profile points exactly, without rounding error.
            assertThat(DepthInterpolation.resample(TEACHER, TEACHER.length)).containsExactly(TEACHER);
        }
    }

    @Test
    void testMatrixRowsInterpolate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = DepthInterpolation.matrix(manager, 100, 5, DataType.FLOAT64);
            assertThat(matrix.getShape()).isEqualTo(new Shape(100, 5));
            double[] values = matrix.matMul(manager.create(TEACHER)).toDoubleArray();
            for (int i = 0; i < 100; i++) {
                assertThat(values[i])
                        .isCloseTo(DepthInterpolation.valueAt(TEACHER, i / 99.0), withPrecision(1e-14));
            }
            assertThat(matrix.sum(new int[] {1}).toDoubleArray()).containsOnly(1.0);
            NDArray transposed = DepthInterpolation.transposedMatrix(manager, 100, 5, DataType.FLOAT32);
            assertThat(transposed.getShape()).isEqualTo(new Shape(5, 100));
            assertThat(transposed.getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    @Test
    void testDegenerateLengths() {
        assertThat(DepthInterpolation.weights(1, 4)).isEqualTo(new double[][] {{1, 0, 0, 0}});
        assertThat(DepthInterpolation.weights(3, 1)).isEqualTo(new double[][] {{1}, {1}, {1}});
        assertThat(DepthInterpolation.valueAt(new double[] {0.3}, 0.7)).isEqualTo(0.3);
        assertThat(DepthInterpolation.valueAt(TEACHER, 1.0)).isEqualTo(0.5);
        assertThatThrownBy(() -> DepthInterpolation.weights(0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points");
    }
}
