package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic with a Java {@code double} that keeps the array's data type, and the one safe way to
 * combine an array that carries gradient with a constant.
 *
 * <p>DJL's PyTorch engine turns a {@code double} operand into a float64 0-dim tensor, and PyTorch
 * promotes a 0-dim float32 array combined with it to float64 (a loss scalar times a weight, for
 * example). These helpers make the constant in the array's own type first, so float32 losses stay
 * float32 and float64 computations keep full precision.
 *
 * <p>Why DJL's own {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)},
 * {@code maximum(Number)} and {@code minimum(Number)} must not be used on anything that is
 * back-propagated: DJL 0.35.1 builds the operand with {@code from_blob} over a Java direct buffer,
 * which only the Java array keeps alive, and closes that array as soon as the operation returns.
 * PyTorch's autograd graph keeps the operand (the backward of {@code x·c} is {@code g·c}), but not
 * its memory: once the garbage collector frees the buffer, the backward pass reads whatever the
 * allocator put there since, and the gradient is garbage, sometimes NaN (measured: the gradient of
 * {@code sum(x.div(7))} came back as −1.3e−34 instead of 1/7 after a collection). It depends on
 * when the collector runs, so it showed up as rare non-finite gradients. The constants made here
 * are copies that PyTorch owns. {@code TestLayering} keeps DJL's variants out of the project.
 *
 * @since 0.1
 */
public final class Scalars {
    private Scalars() {}

    /**
     * Returns a 0-dim constant of {@code like}'s data type, whose memory PyTorch owns: it may take
     * part in differentiable operations and be closed before the backward pass.
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
        // The Java-backed array lives only for the copy; the copy's storage is PyTorch's own.
        try (NDArray javaBacked = type == DataType.FLOAT32 ? manager.create((float) value) : manager.create(value)) {
            return javaBacked.getDataType() == type ? javaBacked.duplicate() : javaBacked.toType(type, true);
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

    /**
     * Computes {@code array / value} in the array's type; differentiable in {@code array}.
     *
     * @param array the array, never null
     * @param value the divisor
     * @return the quotient, attached to the array's manager
     * @since 0.2
     */
    public static NDArray div(NDArray array, double value) {
        try (NDArray constant = of(array, value)) {
            return array.div(constant);
        }
    }

    /**
     * Computes {@code array ^ exponent} in the array's type; differentiable in {@code array}.
     *
     * @param array the array, never null
     * @param exponent the exponent
     * @return the power, attached to the array's manager
     * @since 0.2
     */
    public static NDArray pow(NDArray array, double exponent) {
        try (NDArray constant = of(array, exponent)) {
            return array.pow(constant);
        }
    }

    /**
     * Computes {@code max(array, value)} element-wise in the array's type; differentiable in
     * {@code array}.
     *
     * @param array the array, never null
     * @param value the floor
     * @return the element-wise maximum, attached to the array's manager
     * @since 0.2
     */
    public static NDArray maximum(NDArray array, double value) {
        try (NDArray constant = of(array, value)) {
            return array.maximum(constant);
        }
    }
}
