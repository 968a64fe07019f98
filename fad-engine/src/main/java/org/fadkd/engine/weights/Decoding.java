package org.fadkd.engine.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns stored little-endian elements into float32 or int64, in the project's own code. Java 17
 * has no float16 conversion ({@code Float.float16ToFloat} is Java 20), and bfloat16 must never be
 * handed to DJL, so both are widened here.
 */
final class Decoding {
    private Decoding() {}

    /**
     * Widens IEEE 754 binary16 bits to the float32 of the same value. Every binary16 value is a
     * float32 value, so this is exact: zeros keep their sign, subnormals become normal float32s,
     * infinities stay infinite and a NaN keeps its payload (shifted into float32's mantissa).
     */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32 (at most 10 significant bits).
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127 and move the mantissa to the top.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Widens bfloat16 bits to float32: they are a float32's upper 16 bits. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Decodes {@code count} elements of {@code type} from {@code source} (read from its position,
     * which it advances) into {@code target} from {@code offset}.
     */
    static void toFloats(StoredType type, ByteBuffer source, float[] target, int offset, int count) {
        ByteBuffer in = source.order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                in.asFloatBuffer().get(target, offset, count);
                in.position(in.position() + count * 4);
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = (float) in.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = f16ToFloat(in.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = bf16ToFloat(in.getShort());
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = integer(type, in);
                }
            }
        }
    }

    /** As {@link #toFloats}, for integer types into int64. */
    static void toLongs(StoredType type, ByteBuffer source, long[] target, int offset, int count) {
        ByteBuffer in = source.order(ByteOrder.LITTLE_ENDIAN);
        if (type == StoredType.I64) {
            in.asLongBuffer().get(target, offset, count);
            in.position(in.position() + count * 8);
            return;
        }
        for (int i = 0; i < count; i++) {
            target[offset + i] = integer(type, in);
        }
    }

    private static long integer(StoredType type, ByteBuffer in) {
        return switch (type) {
            case I64 -> in.getLong();
            case I32 -> in.getInt();
            case I16 -> in.getShort();
            case I8 -> in.get();
            case U8 -> in.get() & 0xff;
            case BOOL -> in.get() != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }
}
