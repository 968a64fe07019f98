package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic with a Java {@code double} that keeps the array's data type.
 *
 * <p>DJL's PyTorch engine turns a {@code double} operand into a float64 0-dim tensor, and PyTorch
 * promotes a 0-dim float32 array combined with it to float64 (a loss scalar times a weight, for
 * example). These helpers make the constant in the array's own type first, so float32 losses stay
 * float32 and float64 computations keep full precision.
 *
 * @since 0.1
 */
public final class Scalars {
    private Scalars() {}

    /**
     * Returns a 0-dim constant of {@code like}'s data type.
     *
     * @param like the array whose manager and floating-point type the constant takes, never null
     * @param value the value
     * @return a new 0-dim array without gradient, attached to {@code like}'s manager
     * @since 0.1
     */
    public static NDArray of(NDArray like, double value) {
        requireNonNull(like, "like is null");
        NDManager manager = like.getManager();
        DataType type = like.getDataType();
        if (type == DataType.FLOAT64) {
            return manager.create(value);
        }
        if (type == DataType.FLOAT32) {
            return manager.create((float) value);
        }
        try (NDArray wide = manager.create(value)) {
            return wide.toType(type, true);
        }
    }

    /**
     * Computes {@code array + value} in the array's type; differentiable in {@code array}.
     *
     * @param array the array, never null
     * @param value the value
     * @return the sum, attached to the array's manager
     * @since 0.1
     */
    public static NDArray add(NDArray array, double value) {
        try (NDArray constant = of(array, value)) {
            return array.add(constant);
        }
    }

    /**
     * Computes {@code array · value} in the array's type; differentiable in {@code array}.
     *
     * @param array the array, never null
     * @param value the value
     * @return the product, attached to the array's manager
     * @since 0.1
     */
    public static NDArray mul(NDArray array, double value) {
        try (NDArray constant = of(array, value)) {
            return array.mul(constant);
        }
    }
}
