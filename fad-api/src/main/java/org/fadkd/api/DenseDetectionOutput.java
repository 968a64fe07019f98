package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The primary output of a dense, CenterNet-style detector (fad-spec §12), written down once for
 * the plugins that produce it (an architecture), read it (a detection task) and distil it (a
 * method), which cannot see each other's classes.
 *
 * <p>A {@link Task} and a {@link DistillationLoss} see one primary output array per batch ({@link
 * Task#loss}, {@link DistillationBatch#studentOutput()}), so a detector packs its three heads into
 * one array {@code (B, C + 4, H', W')} on the output grid (stride {@code R}):
 *
 * <ul>
 *   <li>channels {@code [0, C)}: the class heatmap logits {@code z}, {@code Ŷ = sigmoid(z)};
 *   <li>channels {@code C, C + 1}: the box size {@code (w, h)}, in output cells;
 *   <li>channels {@code C + 2, C + 3}: the centre's offset {@code (x, y)} within its cell.
 * </ul>
 *
 * <p>It is the only primary output of rank 4 (classification gives {@code (B, C)}, language models
 * {@code (B, T, V)}): a method that distils class logits tells it apart by {@link
 * #isDenseDetection} and distils its heatmap logits alone, as per-location Bernoulli distributions;
 * the size and offset channels are regression outputs and are not distilled (fad-spec §12).
 *
 * <p>The slices this class returns keep their gradient and live in the output's manager.
 *
 * @since 0.2
 */
public final class DenseDetectionOutput {
    /** The channels after the heatmap: 2 for the size, 2 for the offset. */
    public static final int REGRESSION_CHANNELS = 4;

    private DenseDetectionOutput() {}

    /**
     * Says whether a primary output has this layout: rank 4 with at least one heatmap channel.
     *
     * @param outputShape the output's shape, batch axis first, never null
     * @return true for {@code (B, C + 4, H', W')} with {@code C ≥ 1}
     * @since 0.2
     */
    public static boolean isDenseDetection(Shape outputShape) {
        requireNonNull(outputShape, "outputShape is null");
        return outputShape.dimension() == 4 && outputShape.get(1) > REGRESSION_CHANNELS;
    }

    /**
     * Returns the number of classes {@code C} of an output of this layout.
     *
     * @param outputShape the output's shape, never null
     * @return {@code C ≥ 1}
     * @throws IllegalArgumentException when the shape is not of this layout
     * @since 0.2
     */
    public static int classCount(Shape outputShape) {
        if (!isDenseDetection(outputShape)) {
            throw new IllegalArgumentException("a dense detection output is (B, C + " + REGRESSION_CHANNELS
                    + ", H', W') with C >= 1, got " + outputShape);
        }
        return Math.toIntExact(outputShape.get(1) - REGRESSION_CHANNELS);
    }

    /**
     * Returns the class heatmap logits {@code (B, C, H', W')}.
     *
     * @param output an output of this layout, never null
     * @return a view with gradient, in the output's manager
     * @since 0.2
     */
    public static NDArray heatmapLogits(NDArray output) {
        return channels(output, 0, classCount(output.getShape()));
    }

    /**
     * Returns the box sizes {@code (B, 2, H', W')}: width, then height, in output cells.
     *
     * @param output an output of this layout, never null
     * @return a view with gradient, in the output's manager
     * @since 0.2
     */
    public static NDArray sizes(NDArray output) {
        int classes = classCount(output.getShape());
        return channels(output, classes, classes + 2);
    }

    /**
     * Returns the centre offsets {@code (B, 2, H', W')}: x, then y, in output cells.
     *
     * @param output an output of this layout, never null
     * @return a view with gradient, in the output's manager
     * @since 0.2
     */
    public static NDArray offsets(NDArray output) {
        int classes = classCount(output.getShape());
        return channels(output, classes + 2, classes + 4);
    }

    private static NDArray channels(NDArray output, int start, int end) {
        return output.get(new NDIndex().addAllDim().addSliceDim(start, end));
    }
}
