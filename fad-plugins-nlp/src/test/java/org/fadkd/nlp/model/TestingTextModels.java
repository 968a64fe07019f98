package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Forward passes, parameter counts and small safetensors files for the text architectures' tests. */
final class TestingTextModels {
    private TestingTextModels() {}

    /** Builds and initialises a block for sequences of {@code length} tokens. */
    static Block initialised(org.fadkd.api.Architecture architecture, NDManager manager, int length, int outputs) {
        Block block = architecture.newBlock(new Shape(length), outputs);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, length));
        return block;
    }

    /**
     * An inference forward pass on {@code NDList(ids, mask)} made on a sub-manager of {@code
     * manager}, checking that every output joins that batch manager and none the parameters'
     * (which would leak a batch's activations into the model's memory).
     */
    static NDList forward(Block block, NDManager manager, long[][] ids, long[][] mask) {
        NDManager batch = manager.newSubManager();
        NDList outputs = block.forward(new ParameterStore(batch, false),
                new NDList(batch.create(ids), batch.create(mask)), false);
        for (NDArray output : outputs) {
            org.assertj.core.api.Assertions.assertThat(output.getManager()).isSameAs(batch);
        }
        return outputs;
    }

    /** The number of parameter values. */
    static long parameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            count += pair.getValue().getArray().size();
        }
        return count;
    }

    /** Row {@code row}, positions {@code [0, tokens)}, of an (B, L, …) array, flattened. */
    static float[] positions(NDArray array, int row, int tokens) {
        return array.get(row).get("0:" + tokens).toFloatArray();
    }

    /**
     * Writes a safetensors file of float32 tensors, or bfloat16 (the float32 bits' upper half) when
     * {@code bfloat16}; the tensors in the map's order.
     */
    static void writeSafetensors(Path file, Map<String, NDArray> tensors, boolean bfloat16) {
        StringJoiner header = new StringJoiner(",", "{", "}");
        Map<String, float[]> values = new LinkedHashMap<>();
        long offset = 0;
        int width = bfloat16 ? 2 : 4;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            float[] data = entry.getValue().toFloatArray();
            values.put(entry.getKey(), data);
            StringJoiner shape = new StringJoiner(",", "[", "]");
            for (long dimension : entry.getValue().getShape().getShape()) {
                shape.add(Long.toString(dimension));
            }
            header.add(String.format("\"%s\":{\"dtype\":\"%s\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
                    entry.getKey(), bfloat16 ? "BF16" : "F32", shape, offset, offset + (long) data.length * width));
            offset += (long) data.length * width;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        for (float[] data : values.values()) {
            for (float value : data) {
                if (bfloat16) {
                    buffer.putShort((short) (Float.floatToRawIntBits(value) >>> 16));
                } else {
                    buffer.putFloat(value);
                }
            }
        }
        try {
            Files.write(file, buffer.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a bfloat16 file holds of {@code value}: the float32 bits' upper half. */
    static float bfloat16(float value) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(value) & 0xffff0000);
    }
}
