package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Floating-point casts that keep the autograd graph.
 *
 * <p>{@code NDArray.toType} in DJL's PyTorch engine returns an array without a gradient function,
 * so a student array cast with it no longer trains anything. These casts go through arithmetic
 * and PyTorch's type promotion instead: widening adds zeros of the wider type; narrowing a 0-dim
 * array multiplies it into a one-element array of the narrower type (a dimensioned operand's type
 * wins over a 0-dim operand of the same category) and drops the axis again.
 *
 * @since 0.1
 */
public final class Casts {
    private Casts() {}

    /**
     * Casts a floating-point array, differentiably.
     *
     * @param array the array, never null
     * @param type a floating-point type, never null
     * @return {@code array} itself when it already has the type, else a new array attached to its
     *     manager
     * @throws IllegalArgumentException when a non-scalar would be narrowed, or a type is not
     *     floating-point
     * @since 0.1
     */
    public static NDArray to(NDArray array, DataType type) {
        requireNonNull(array, "array is null");
        requireNonNull(type, "type is null");
        DataType from = array.getDataType();
        if (from == type) {
            return array;
        }
        if (!from.isFloating() || !type.isFloating()) {
            throw new IllegalArgumentException("differentiable casts are between floating types, got "
                    + from + " to " + type);
        }
        if (type.getNumOfBytes() > from.getNumOfBytes()) {
            try (NDArray zeros = array.getManager().zeros(array.getShape(), type)) {
                return array.add(zeros);
            }
        }
        if (!array.getShape().isScalar()) {
            throw new IllegalArgumentException("cannot narrow a non-scalar array of shape "
                    + array.getShape() + " from " + from + " to " + type + " differentiably");
        }
        try (NDArray one = array.getManager().ones(new Shape(1), type)) {
            return one.mul(array).reshape(new Shape());
        }
    }

    /**
     * Widens an array to at least float32, differentiably; float32 and float64 arrays are returned
     * as they are. This is how tap outputs enter flow metrics.
     *
     * @param array a floating-point array, never null
     * @return the array, or a float32 copy attached to its manager
     * @since 0.1
     */
    public static NDArray atLeastFloat32(NDArray array) {
        requireNonNull(array, "array is null");
        DataType type = array.getDataType();
        return type == DataType.FLOAT32 || type == DataType.FLOAT64 ? array : to(array, DataType.FLOAT32);
    }
}
