package org.fadkd.engine.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes safetensors files for tests, byte by byte as the format describes them, so that the
 * reader is checked against the format and not against itself. A header can also be given as raw
 * text, and the data cut short, to make the malformed files the reader must refuse.
 */
final class TestingSafetensors {
    private record Tensor(String name, String dtype, long[] shape, byte[] data) {}

    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    TestingSafetensors metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A tensor with its data as little-endian bytes, laid out after the previous one. */
    TestingSafetensors tensor(String name, String dtype, long[] shape, byte[] data) {
        tensors.add(new Tensor(name, dtype, shape, data));
        return this;
    }

    TestingSafetensors f32(String name, long[] shape, float... values) {
        ByteBuffer data = little(values.length * 4);
        for (float value : values) {
            data.putFloat(value);
        }
        return tensor(name, "F32", shape, data.array());
    }

    TestingSafetensors f64(String name, long[] shape, double... values) {
        ByteBuffer data = little(values.length * 8);
        for (double value : values) {
            data.putDouble(value);
        }
        return tensor(name, "F64", shape, data.array());
    }

    /** 16-bit elements (F16, BF16, I16) given as their bits. */
    TestingSafetensors bits16(String name, String dtype, long[] shape, int... bits) {
        ByteBuffer data = little(bits.length * 2);
        for (int value : bits) {
            data.putShort((short) value);
        }
        return tensor(name, dtype, shape, data.array());
    }

    TestingSafetensors i64(String name, long[] shape, long... values) {
        ByteBuffer data = little(values.length * 8);
        for (long value : values) {
            data.putLong(value);
        }
        return tensor(name, "I64", shape, data.array());
    }

    TestingSafetensors i32(String name, long[] shape, int... values) {
        ByteBuffer data = little(values.length * 4);
        for (int value : values) {
            data.putInt(value);
        }
        return tensor(name, "I32", shape, data.array());
    }

    /** The header JSON this writer would write, for tests that alter it. */
    String header() {
        List<String> entries = new ArrayList<>();
        if (!metadata.isEmpty()) {
            entries.add("\"__metadata__\":{" + metadata.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",")) + "}");
        }
        long offset = 0;
        for (Tensor tensor : tensors) {
            entries.add(String.format("\"%s\":{\"dtype\":\"%s\",\"shape\":%s,\"data_offsets\":[%d,%d]}", tensor.name(),
                    tensor.dtype(), Arrays.toString(tensor.shape()).replace(" ", ""), offset,
                    offset + tensor.data().length));
            offset += tensor.data().length;
        }
        return "{" + String.join(",", entries) + "}";
    }

    byte[] data() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Tensor tensor : tensors) {
            out.writeBytes(tensor.data());
        }
        return out.toByteArray();
    }

    Path write(Path file) {
        return write(file, header(), data());
    }

    /**
     * Writes a file of the given header and data: the header's length (little-endian u64), the
     * header padded with spaces to a multiple of 8 bytes as the reference writer does, the data.
     */
    static Path write(Path file, String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer bytes = little(8 + padded + data.length);
        bytes.putLong(padded).put(text);
        for (int i = text.length; i < padded; i++) {
            bytes.put((byte) ' ');
        }
        bytes.put(data);
        return writeBytes(file, bytes.array());
    }

    static Path writeBytes(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[] shape(long... dimensions) {
        return dimensions;
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
