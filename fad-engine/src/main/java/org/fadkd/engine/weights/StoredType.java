package org.fadkd.engine.weights;

/**
 * How a tensor's elements are stored in a weights file. The floating-point types are read as
 * float32 ({@link WeightsFile#readFloats}); the integer types, such as batch norm's {@code
 * num_batches_tracked} counter, as 64-bit integers ({@link WeightsFile#readLongs}).
 *
 * @since 0.2
 */
public enum StoredType {
    /** IEEE 754 binary64, narrowed to float32 when read as floats: rounded to nearest, infinite beyond float32's range. */
    F64(8, true),
    /** IEEE 754 binary32, read as it is. */
    F32(4, true),
    /** IEEE 754 binary16, widened to float32 exactly (subnormals, infinities and NaN included). */
    F16(2, true),
    /** bfloat16, the upper half of a float32, widened exactly by shifting its bits left by 16. */
    BF16(2, true),
    /** Signed 64-bit integer. */
    I64(8, false),
    /** Signed 32-bit integer. */
    I32(4, false),
    /** Signed 16-bit integer. */
    I16(2, false),
    /** Signed 8-bit integer. */
    I8(1, false),
    /** Unsigned 8-bit integer. */
    U8(1, false),
    /** Boolean, one byte, read as 0 or 1. */
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    StoredType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /**
     * Returns the bytes one element takes in the file.
     *
     * @return 1, 2, 4 or 8
     * @since 0.2
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Returns whether this is a floating-point type: a weight to map, rather than a counter or an
     * index that callers usually skip.
     *
     * @return true for {@link #F64}, {@link #F32}, {@link #F16} and {@link #BF16}
     * @since 0.2
     */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }
}
