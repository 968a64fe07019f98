package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The shape-matching rule (fad-spec §11 intro): adaptive average pooling of the larger map. */
final class TestShapeMatching {
    @Test
    void testAveragingWindowsOfNonDivisibleSizes() {
        // 7 → 4: [0,2), [1,4), [3,6), [5,7) (⌊7i/4⌋, ⌈7(i+1)/4⌉); windows overlap
        double[][] matrix = ShapeMatching.averagingMatrix(7, 4);
        assertThat(column(matrix, 0)).containsExactly(0.5, 0.5, 0, 0, 0, 0, 0);
        assertThat(column(matrix, 1)).containsExactly(0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0, 0, 0);
        assertThat(column(matrix, 2)).containsExactly(0, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0);
        assertThat(column(matrix, 3)).containsExactly(0, 0, 0, 0, 0, 0.5, 0.5);
        // 5 → 3: [0,2), [1,4), [3,5)
        double[][] five = ShapeMatching.averagingMatrix(5, 3);
        assertThat(column(five, 1)).containsExactly(0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0);
        assertThat(column(five, 2)).containsExactly(0, 0, 0, 0.5, 0.5);
        // 28 → 14: pairs, as plain 2×2 average pooling
        double[][] even = ShapeMatching.averagingMatrix(28, 14);
        assertThat(column(even, 13)[26]).isEqualTo(0.5);
        assertThat(column(even, 13)[27]).isEqualTo(0.5);
        assertThat(column(even, 13)[25]).isEqualTo(0.0);
    }

    @Test
    void testPoolingAgainstHandComputedCells() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // One 3×5 map pooled to 2×3: rows [0,2), [1,3); columns [0,2), [1,4), [3,5)
            double[][] x = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}};
            NDArray input = manager.create(x).reshape(1, 1, 3, 5);
            NDArray pooled = ShapeMatching.adaptiveAveragePool(input, 2, 3);
            assertThat(pooled.getShape()).isEqualTo(new Shape(1, 1, 2, 3));
            double[] expected = {
                mean(x, 0, 2, 0, 2), mean(x, 0, 2, 1, 4), mean(x, 0, 2, 3, 5),
                mean(x, 1, 3, 0, 2), mean(x, 1, 3, 1, 4), mean(x, 1, 3, 3, 5)};
            // (1+2+6+7)/4 = 4, (2+3+4+7+8+9)/6 = 5.5, (4+5+9+10)/4 = 7, then +5 for the lower rows
            assertThat(expected).containsExactly(4, 5.5, 7, 9, 10.5, 12);
            assertThat(pooled.toDoubleArray()).containsExactly(expected, within(1e-12));
        }
    }

    @Test
    void testMatchPoolsTheLargerMapPerAxisAndKeepsChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.randomNormal(new Shape(2, 16, 7, 7));
            NDArray teacher = manager.randomNormal(new Shape(2, 128, 4, 4));
            NDArray[] matched = ShapeMatching.match(student, teacher);
            assertThat(matched[0].getShape()).isEqualTo(new Shape(2, 16, 4, 4));
            assertThat(matched[1]).isSameAs(teacher);
            // A tall student and a wide teacher both shrink to (min H, min W).
            NDArray[] crossed = ShapeMatching.match(
                    manager.zeros(new Shape(1, 2, 8, 3)), manager.zeros(new Shape(1, 5, 4, 6)));
            assertThat(crossed[0].getShape()).isEqualTo(new Shape(1, 2, 4, 3));
            assertThat(crossed[1].getShape()).isEqualTo(new Shape(1, 5, 4, 3));
            // Tokens are left alone.
            NDArray tokens = manager.zeros(new Shape(2, 5, 8));
            assertThat(ShapeMatching.match(tokens, manager.zeros(new Shape(2, 5, 4)))[0]).isSameAs(tokens);
            // The pooled map keeps float32 and the first cell is the mean of its 2×2 window.
            float[] values = student.toFloatArray();
            double cell = (values[0] + values[1] + values[7] + values[8]) / 4.0;
            assertThat((double) matched[0].toFloatArray()[0]).isCloseTo(cell, within(1e-5));
        }
    }

    @Test
    void testPoolingIsDifferentiable() {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = manager.ones(new Shape(1, 1, 7, 1));
            input.setRequiresGradient(true);
            collector.backward(ShapeMatching.adaptiveAveragePool(input, 4, 1).sum());
            // Each row's gradient is the sum of 1/|window| over the windows it lies in.
            assertThat(input.getGradient().toFloatArray())
                    .containsExactly(new float[] {0.5f, 5 / 6f, 1 / 3f, 2 / 3f, 1 / 3f, 5 / 6f, 0.5f}, within(1e-6f));
        }
    }

    private static double[] column(double[][] matrix, int column) {
        double[] values = new double[matrix.length];
        for (int r = 0; r < matrix.length; r++) {
            values[r] = matrix[r][column];
        }
        return values;
    }

    private static double mean(double[][] x, int rowStart, int rowEnd, int columnStart, int columnEnd) {
        double sum = 0;
        for (int r = rowStart; r < rowEnd; r++) {
            for (int c = columnStart; c < columnEnd; c++) {
                sum += x[r][c];
            }
        }
        return sum / ((rowEnd - rowStart) * (columnEnd - columnStart));
    }
}
