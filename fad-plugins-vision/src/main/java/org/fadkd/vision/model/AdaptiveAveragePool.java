package org.fadkd.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Adaptive average pooling of (B, C, H, W) maps to a fixed (B, C, side, side), as PyTorch's {@code
 * AdaptiveAvgPool2d}: output cell {@code i} averages input rows {@code ⌊i·H/side⌋} to {@code
 * ⌈(i+1)·H/side⌉ − 1}, and likewise for columns. DJL has no such block. Maps that are already the
 * target size pass through; a smaller map is stretched (a 1×1 map is replicated), as PyTorch does.
 *
 * <p>The bins are rectangles, so the pooling separates into a row average and a column average:
 * {@code out = R · x · Cᵀ} with averaging matrices {@code R} (side × H) and {@code C} (side × W).
 * Like any pooling it costs no multiply-accumulates under fad-spec §13, and it has no parameters.
 */
final class AdaptiveAveragePool extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int side;

    AdaptiveAveragePool(int side) {
        super(VERSION);
        if (side < 1) {
            throw new IllegalArgumentException("side must be at least 1, got " + side);
        }
        this.side = side;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray maps = inputs.singletonOrThrow();
        Shape shape = maps.getShape();
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        if (height == side && width == side) {
            return inputs;
        }
        // created in the input's manager, so they live and die with this step's activations
        NDArray rows = averagingMatrix(maps, height);
        NDArray columns = averagingMatrix(maps, width).transpose();
        return new NDList(rows.matMul(maps).matMul(columns));
    }

    /** The (side × size) matrix whose row i averages PyTorch's bin i of {@code size} positions. */
    private NDArray averagingMatrix(NDArray like, int size) {
        float[] weights = new float[side * size];
        for (int bin = 0; bin < side; bin++) {
            int start = Math.floorDiv(bin * size, side);
            int end = Math.floorDiv((bin + 1) * size + side - 1, side);
            for (int position = start; position < end; position++) {
                weights[bin * size + position] = 1f / (end - start);
            }
        }
        return like.getManager()
                .create(weights, new Shape(side, size))
                .toType(like.getDataType(), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        return new Shape[] {new Shape(input.get(0), input.get(1), side, side)};
    }
}
