package org.fadkd.vision.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.fadkd.flow.Scalars;

/**
 * Bilinear upsampling of (B, C, H, W) maps by 2, as PyTorch's {@code interpolate(scale_factor=2,
 * mode='bilinear', align_corners=False)}: output row {@code 2i} reads input position {@code i −
 * 0.25}, row {@code 2i + 1} position {@code i + 0.25}, so each output is {@code 0.75·x[i] +
 * 0.25·x[i ∓ 1]}, the neighbour clamped at the border; columns likewise. DJL's image resize expects
 * channels-last images, so the block computes these weighted sums itself, one axis at a time:
 * element-wise work, no multiply-accumulates under fad-spec §13, no parameters.
 */
final class BilinearUpsample extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final double NEAR = 0.75;
    private static final double FAR = 0.25;

    BilinearUpsample() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray maps = inputs.singletonOrThrow();
        if (maps.getShape().dimension() != 4) {
            throw new IllegalArgumentException("bilinear upsampling takes (B, C, H, W) maps, got " + maps.getShape());
        }
        return new NDList(doubled(doubled(maps, 2), 3));
    }

    /** Doubles one axis: even outputs lean to the previous neighbour, odd ones to the next. */
    private static NDArray doubled(NDArray maps, int axis) {
        long size = maps.getShape().get(axis);
        NDArray first = slice(maps, axis, 0, 1);
        NDArray last = slice(maps, axis, size - 1, size);
        // x[i − 1] and x[i + 1], the border repeated
        NDArray previous = size == 1 ? first : NDArrays.concat(new NDList(first, slice(maps, axis, 0, size - 1)), axis);
        NDArray next = size == 1 ? last : NDArrays.concat(new NDList(slice(maps, axis, 1, size), last), axis);
        NDArray near = Scalars.mul(maps, NEAR);
        NDArray even = near.add(Scalars.mul(previous, FAR));
        NDArray odd = near.add(Scalars.mul(next, FAR));
        // (…, size, 2, …) read row-major is even₀, odd₀, even₁, odd₁, …: the interleaved axis
        long[] doubledShape = maps.getShape().getShape().clone(); // Shape hands out its own array
        doubledShape[axis] = 2 * size;
        return NDArrays.stack(new NDList(even, odd), axis + 1).reshape(new Shape(doubledShape));
    }

    private static NDArray slice(NDArray maps, int axis, long start, long end) {
        return maps.get(new NDIndex().addAllDim(axis).addSliceDim(start, end));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        return new Shape[] {new Shape(input.get(0), input.get(1), 2 * input.get(2), 2 * input.get(3))};
    }
}
