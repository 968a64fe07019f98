package org.fadkd.distill.method.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The shape-matching rule of the feature methods (fad-spec §11 intro): when two feature maps differ
 * in spatial size, the larger is adaptive-average-pooled to {@code (min(H_S, H_T), min(W_S, W_T))};
 * output cell {@code i} of {@code h} averages input rows {@code [⌊iH/h⌋, ⌈(i+1)H/h⌉)}, and likewise
 * for columns (PyTorch's {@code adaptive_avg_pool2d}).
 *
 * <p>A cell's average over a rectangle is the row average of column averages, so the pooling is
 * two matrix products with constant averaging matrices: differentiable, exact for sizes that do not
 * divide, and made on the input's manager so nothing outlives the batch.
 *
 * @since 0.1
 */
public final class ShapeMatching {
    private ShapeMatching() {}

    /**
     * Brings two tap outputs to a common spatial size. Feature maps {@code (B, C, H, W)} of
     * different sizes are pooled as the rule says; anything else is returned as it is.
     *
     * @param student the student's tap output, never null
     * @param teacher the teacher's tap output, never null
     * @return {@code [student, teacher]}, each the input itself or its pooled map (attached to the
     *     input's manager)
     * @since 0.1
     */
    public static NDArray[] match(NDArray student, NDArray teacher) {
        Shape s = student.getShape();
        Shape t = teacher.getShape();
        if (s.dimension() != 4 || t.dimension() != 4) {
            return new NDArray[] {student, teacher};
        }
        long height = Math.min(s.get(2), t.get(2));
        long width = Math.min(s.get(3), t.get(3));
        return new NDArray[] {adaptiveAveragePool(student, height, width), adaptiveAveragePool(teacher, height, width)};
    }

    /**
     * Adaptive average pooling over the last two axes.
     *
     * @param input an array {@code (…, H, W)} with {@code H >= height}, {@code W >= width}, never
     *     null
     * @param height the output rows {@code h >= 1}
     * @param width the output columns {@code w >= 1}
     * @return {@code (…, h, w)} in the input's data type on its manager; the input itself when it
     *     already has that size
     * @since 0.1
     */
    public static NDArray adaptiveAveragePool(NDArray input, long height, long width) {
        Shape shape = input.getShape();
        int dims = shape.dimension();
        long rows = shape.get(dims - 2);
        long columns = shape.get(dims - 1);
        if (rows == height && columns == width) {
            return input;
        }
        if (height < 1 || width < 1 || height > rows || width > columns) {
            throw new IllegalArgumentException("cannot pool " + shape + " to " + height + "×" + width);
        }
        // The input comes first in both products, so every result lives on its manager.
        NDArray pooledColumns = input.matMul(averaging(input, columns, width));
        NDArray pooled = pooledColumns.swapAxes(dims - 2, dims - 1).matMul(averaging(input, rows, height));
        return pooled.swapAxes(dims - 2, dims - 1);
    }

    /**
     * Returns the averaging matrix of adaptive pooling from {@code size} to {@code cells} positions:
     * entry {@code [r][i]} is {@code 1/(end − start)} for input position {@code r} in output cell
     * {@code i}'s window {@code [⌊i·size/cells⌋, ⌈(i+1)·size/cells⌉)}, else 0.
     *
     * @param size the input length, {@code >= cells}
     * @param cells the output length, {@code >= 1}
     * @return a {@code size × cells} matrix, row-major
     * @since 0.1
     */
    public static double[][] averagingMatrix(long size, long cells) {
        double[][] matrix = new double[Math.toIntExact(size)][Math.toIntExact(cells)];
        for (long i = 0; i < cells; i++) {
            long start = Math.floorDiv(i * size, cells);
            long end = -Math.floorDiv(-(i + 1) * size, cells); // ⌈(i+1)·size/cells⌉
            for (long r = start; r < end; r++) {
                matrix[(int) r][(int) i] = 1.0 / (end - start);
            }
        }
        return matrix;
    }

    private static NDArray averaging(NDArray like, long size, long cells) {
        double[][] matrix = averagingMatrix(size, cells);
        double[] flat = new double[matrix.length * matrix[0].length];
        for (int r = 0; r < matrix.length; r++) {
            System.arraycopy(matrix[r], 0, flat, r * matrix[r].length, matrix[r].length);
        }
        NDManager manager = like.getManager();
        Shape shape = new Shape(size, cells);
        if (like.getDataType() == DataType.FLOAT64) {
            return manager.create(flat, shape);
        }
        try (NDArray wide = manager.create(flat, shape)) {
            return wide.toType(like.getDataType(), true);
        }
    }
}
