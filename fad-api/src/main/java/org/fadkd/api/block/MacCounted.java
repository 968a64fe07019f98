package org.fadkd.api.block;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * A block that reports its own multiply-accumulates (MACs, fad-spec §13) to the host's MAC counter.
 *
 * <p>The host counts a model by walking its block tree: it knows DJL's convolutions, transposed
 * convolutions and linear layers, and how {@code SequentialBlock}, {@code ParallelBlock} and
 * {@link TappedSequentialBlock} pass data to their children. Anything else that multiplies, such as
 * a matmul between activations or an attention layer ({@code QKᵀ} and {@code A·V}, each {@code
 * N²·D}), and any composite block with its own data flow, implements this interface; the counter
 * then asks the block instead of walking into it. A block that does neither makes the counter fail
 * with a message naming it, rather than undercount.
 *
 * <p>Typical use: count the child projections through {@code children} (they are linear layers the
 * host knows) and add only the products the block computes itself.
 *
 * @since 0.1
 */
public interface MacCounted {
    /**
     * What a block returns when its work cannot be seen from the JVM (a TorchScript module's
     * graph): the host then reports the model's GFLOPs as unknown instead of a wrong count.
     *
     * @since 0.2
     */
    long UNKNOWN = -1;

    /**
     * Returns the MACs of one forward pass at the given input shapes. The counter passes shapes
     * with a batch axis of size 1, so the result is per sample. Bias additions, normalisation,
     * activations, pooling, softmax and other element-wise work are not counted.
     *
     * @param inputShapes the block's input shapes, batch axis first and of size 1; never null
     * @param children counts a child block at the input shapes the child receives; never null
     * @return the MACs, at least 0, or {@link #UNKNOWN}
     * @since 0.1
     */
    long countMultiplyAccumulates(Shape[] inputShapes, Children children);

    /**
     * The host's counter, offered to a {@link MacCounted} block for its children.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Children {
        /**
         * Counts a child block as the host counts any block.
         *
         * @param child the child, never null
         * @param inputShapes the shapes the child receives, batch axis of size 1; never null
         * @return the child's MACs, at least 0
         * @throws org.fadkd.api.FadException when the child cannot be counted
         * @since 0.1
         */
        long count(Block child, Shape... inputShapes);
    }
}
