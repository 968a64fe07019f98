package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.fadkd.flow.Scalars;

/**
 * Reads the text model input {@code NDList(ids (B, L), mask (B, L)[, token types (B, L)])} and
 * turns masks into the additive biases the attention adds to its scores.
 *
 * <p>The mask and the token types may be left out: the host initialises and counts a model with
 * the shape of the ids alone, and a batch without padding needs no mask. Floating-point ids (a
 * probe batch of zeros) are converted to int64, which the embedding lookup requires.
 */
final class TextInputs {
    /**
     * What a masked position adds to the attention scores. Large enough that its softmax weight is
     * exactly 0 in float32, small enough that two of them (padding and causal) stay finite, so a
     * row whose every key is masked (a padding query) gives uniform weights, not NaN.
     */
    static final double MASKED = -1e9;

    private TextInputs() {}

    /** The token ids (B, L), int64. */
    static NDArray ids(NDList inputs) {
        NDArray ids = inputs.get(0);
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("text models take token ids of shape (B, L), got " + ids.getShape());
        }
        return ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    }

    /** The padding mask (B, L) as float32, 1 for a token and 0 for padding; all ones when absent. */
    static NDArray mask(NDList inputs, NDArray ids) {
        if (inputs.size() < 2) {
            return ids.getManager().ones(ids.getShape(), DataType.FLOAT32);
        }
        NDArray mask = inputs.get(1);
        if (!mask.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException(String.format(
                    "the mask %s must have the shape of the ids %s", mask.getShape(), ids.getShape()));
        }
        return mask.toType(DataType.FLOAT32, false);
    }

    /** The token types (B, L), int64; all zeros (one segment) when absent. */
    static NDArray tokenTypes(NDList inputs, NDArray ids) {
        if (inputs.size() < 3) {
            return ids.getManager().zeros(ids.getShape(), DataType.INT64);
        }
        NDArray types = inputs.get(2);
        return types.getDataType() == DataType.INT64 ? types : types.toType(DataType.INT64, false);
    }

    /** Keys that are padding get {@link #MASKED}: (B, 1, 1, L), added to scores (B, heads, L, L). */
    static NDArray paddingBias(NDArray mask) {
        Shape shape = mask.getShape();
        // (mask − 1)·1e9: 0 for a token, −1e9 for padding
        NDArray bias = Scalars.mul(Scalars.add(mask, -1), -MASKED);
        return bias.reshape(shape.get(0), 1, 1, shape.get(1));
    }

    /** A query may not see later keys: (1, 1, L, L), 0 on and below the diagonal, {@link #MASKED} above. */
    static NDArray causalBias(NDManager manager, long length) {
        NDArray positions = manager.arange(0, length, 1, DataType.INT64);
        NDArray visible = positions.reshape(length, 1).gte(positions.reshape(1, length)).toType(DataType.FLOAT32, false);
        return Scalars.mul(Scalars.add(visible, -1), -MASKED).reshape(1, 1, length, length);
    }
}
