package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.weights.onnx.GraphProto;
import org.fadkd.engine.weights.onnx.ModelProto;
import org.fadkd.engine.weights.onnx.NodeProto;
import org.fadkd.engine.weights.onnx.StringStringEntryProto;
import org.fadkd.engine.weights.onnx.TensorProto;
import org.fadkd.engine.weights.onnx.TensorProto.DataLocation;
import org.fadkd.engine.weights.onnx.TensorProto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX models built with the generated messages: every supported type in raw_data and in its
 * typed field, and the files the reader refuses. PyTorch's own exports are in {@link
 * TestTorchWeights}.
 */
final class TestOnnxInitializers {
    @TempDir
    Path directory;

    @Test
    void testReadsEveryTypeFromRawDataAndFromTypedFields() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("g")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("onnx::MatMul_7").addOutput("y"))
                .addInitializer(tensor("typed.float", DataType.FLOAT, 2, 2).addAllFloatData(List.of(1f, -2.5f, 0.1f, 65504f)))
                .addInitializer(tensor("raw.float", DataType.FLOAT, 3).setRawData(raw(little(12).putFloat(1f).putFloat(-0f)
                        .putFloat(Float.NaN))))
                .addInitializer(tensor("typed.half", DataType.FLOAT16, 4).addAllInt32Data(List.of(0x3c00, 0xc100, 0x7bff, 0x0001)))
                .addInitializer(tensor("raw.half", DataType.FLOAT16, 2).setRawData(raw(little(4).putShort((short) 0x7c00)
                        .putShort((short) 0x8000))))
                .addInitializer(tensor("typed.brain", DataType.BFLOAT16, 2).addAllInt32Data(List.of(0x3f80, 0xc020)))
                .addInitializer(tensor("raw.brain", DataType.BFLOAT16, 1, 1).setRawData(raw(little(2).putShort((short) 0x7f7f))))
                .addInitializer(tensor("typed.double", DataType.DOUBLE, 2).addAllDoubleData(List.of(1.0 / 3, -1e300)))
                .addInitializer(tensor("raw.double", DataType.DOUBLE).setRawData(raw(little(8).putDouble(2.5))))
                .addInitializer(tensor("typed.long", DataType.INT64, 2).addAllInt64Data(List.of(-1L, 1L << 40)))
                .addInitializer(tensor("raw.long", DataType.INT64).setRawData(raw(little(8).putLong(42))))
                .addInitializer(tensor("typed.int8", DataType.INT8, 2).addAllInt32Data(List.of(-128, 127)))
                .addInitializer(tensor("empty", DataType.FLOAT, 0, 3))
                .build();
        Path file = write("all.onnx", ModelProto.newBuilder().setIrVersion(8).setProducerName("test").setGraph(graph).build());
        try (OnnxInitializers onnx = OnnxInitializers.open(file)) {
            assertThat(onnx.getTensors()).extracting(WeightInfo::name).containsExactly("typed.float", "raw.float",
                    "typed.half", "raw.half", "typed.brain", "raw.brain", "typed.double", "raw.double", "typed.long",
                    "raw.long", "typed.int8", "empty");
            assertThat(onnx.getInfo("typed.float")).isEqualTo(new WeightInfo("typed.float", StoredType.F32, new Shape(2, 2), 4));
            assertThat(onnx.getInfo("raw.double").shape()).isEqualTo(new Shape());
            assertThat(onnx.readFloats("typed.float")).containsExactly(1f, -2.5f, 0.1f, 65504f);
            float[] raw = onnx.readFloats("raw.float");
            assertThat(Float.floatToRawIntBits(raw[1])).isEqualTo(0x80000000);
            assertThat(raw[0]).isEqualTo(1f);
            assertThat(raw[2]).isNaN();
            assertThat(onnx.readFloats("typed.half")).containsExactly(1f, -2.5f, 65504f, 0x1p-24f);
            assertThat(onnx.readFloats("raw.half")).containsExactly(Float.POSITIVE_INFINITY, -0f);
            assertThat(onnx.readFloats("typed.brain")).containsExactly(1f, -2.5f);
            assertThat(onnx.readFloats("raw.brain")).containsExactly(3.3895314e38f);
            assertThat(onnx.readFloats("typed.double")).containsExactly(1f / 3, Float.NEGATIVE_INFINITY);
            assertThat(onnx.readFloats("raw.double")).containsExactly(2.5f);
            assertThat(onnx.readLongs("typed.long")).containsExactly(-1L, 1L << 40);
            assertThat(onnx.readLongs("raw.long")).containsExactly(42L);
            assertThat(onnx.readLongs("typed.int8")).containsExactly(-128L, 127L);
            assertThat(onnx.readFloats("typed.long")).containsExactly(-1f, 0x1p40f);
            assertThat(onnx.readFloats("empty")).isEmpty();
            assertThat(onnx.getGraph().getNode(0).getInput(1)).isEqualTo("onnx::MatMul_7");
            assertThatThrownBy(() -> onnx.readFloats("typed.flaot")).isInstanceOf(FadException.class)
                    .hasMessage("Weights file '%s' has no tensor 'typed.flaot'. Did you mean 'typed.float'?", file);
            assertThatThrownBy(() -> onnx.readLongs("raw.half")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * PyTorch's export of a linear layer on a sequence: the weight transposed to (in, out) under a
     * generated name, the bias under its module's. The weight is listed and read as {@code
     * <module>.weight}, (out, in); a generated name without a bias added, or whose layer name is
     * taken, stays as it is.
     */
    @Test
    void testLinearWeightsAreNamedAfterTheirBias() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("g")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("onnx::MatMul_3").addOutput("m"))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("layer.dense.bias").addInput("m").addOutput("y"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("y").addInput("onnx::MatMul_4").addOutput("z"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("z").addInput("onnx::MatMul_5").addOutput("u"))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("u").addInput("taken.bias").addOutput("v"))
                // in = 2, out = 3, stored (in, out) row-major: W^T = [[1, 2, 3], [4, 5, 6]]
                .addInitializer(tensor("onnx::MatMul_3", DataType.FLOAT, 2, 3).addAllFloatData(List.of(1f, 2f, 3f, 4f, 5f,
                        6f)))
                .addInitializer(tensor("layer.dense.bias", DataType.FLOAT, 3).addAllFloatData(List.of(0f, 0f, 0f)))
                .addInitializer(tensor("onnx::MatMul_4", DataType.FLOAT, 3, 1).addAllFloatData(List.of(1f, 1f, 1f)))
                .addInitializer(tensor("onnx::MatMul_5", DataType.FLOAT, 1, 1).addAllFloatData(List.of(2f)))
                .addInitializer(tensor("taken.bias", DataType.FLOAT, 1).addAllFloatData(List.of(0f)))
                .addInitializer(tensor("taken.weight", DataType.FLOAT, 1, 1).addAllFloatData(List.of(3f)))
                .build();
        Path file = write("linear.onnx", ModelProto.newBuilder().setIrVersion(8).setGraph(graph).build());
        try (OnnxInitializers onnx = OnnxInitializers.open(file)) {
            assertThat(onnx.getTensors()).extracting(WeightInfo::name).containsExactly("layer.dense.weight",
                    "layer.dense.bias", "onnx::MatMul_4", "onnx::MatMul_5", "taken.bias", "taken.weight");
            assertThat(onnx.getInfo("layer.dense.weight")).isEqualTo(
                    new WeightInfo("layer.dense.weight", StoredType.F32, new Shape(3, 2), 6));
            assertThat(onnx.readFloats("layer.dense.weight")).containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
            assertThat(onnx.getInfo("onnx::MatMul_4").shape()).isEqualTo(new Shape(3, 1));
            assertThat(onnx.readFloats("onnx::MatMul_5")).containsExactly(2f);
        }
    }

    @Test
    void testAFileThatIsNotAnOnnxModelIsRefused() throws IOException {
        Path absent = directory.resolve("absent.onnx");
        assertFails(absent).hasMessageContaining("Cannot read weights file '" + absent + "'").hasMessageContaining("No such file");
        Path empty = Files.write(directory.resolve("empty.onnx"), new byte[0]);
        assertFails(empty).hasMessage("Weights file '%s' is not a valid ONNX file: it is empty. Export the model again.", empty);
        Path noGraph = write("no-graph.onnx", ModelProto.newBuilder().setIrVersion(8).setProducerName("x").build());
        assertFails(noGraph).hasMessageContaining("it has no graph (ModelProto field 7)");
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xff);
        Path notProtobuf = Files.write(directory.resolve("garbage.onnx"), garbage);
        assertFails(notProtobuf).hasMessageContaining("it does not parse as an ONNX protobuf");
        // JSON is no protobuf either: '{' is field 15 with the invalid wire type 3 ... or worse.
        Path json = Files.writeString(directory.resolve("json.onnx"), "{\"w\": {\"dtype\": \"F32\"}}");
        assertFails(json).hasMessageStartingWith("Weights file '" + json + "' is not a valid ONNX file: ");
    }

    @Test
    void testATruncatedModelIsRefused() throws IOException {
        GraphProto graph = GraphProto.newBuilder()
                .addInitializer(tensor("w", DataType.FLOAT, 256).setRawData(raw(little(1024))))
                .build();
        Path whole = write("whole.onnx", ModelProto.newBuilder().setIrVersion(8).setGraph(graph).build());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(directory.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        assertFails(cut).hasMessageContaining("it does not parse as an ONNX protobuf")
                .hasMessageContaining("The file may be truncated or not ONNX: export it again.");
    }

    @Test
    void testInitializersThatCannotBeReadAreRefusedByName() {
        assertInitializerFails(tensor("w", DataType.FLOAT, 4).setRawData(ByteString.copyFrom(new byte[12]))
                .setDataLocation(DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("model.onnx.data")),
                "initializer 'w' keeps its data outside the model file (in 'model.onnx.data'), which FAD does not read. "
                        + "Export the model with its weights inside");
        assertInitializerFails(tensor("s", DataType.STRING, 1), "initializer 's' has data type STRING, which FAD does not read");
        assertInitializerFails(tensor("u", DataType.UNDEFINED, 1), "initializer 'u' has data type '0'");
        assertInitializerFails(tensor("f8", DataType.FLOAT, 1).setDataType(17), "initializer 'f8' has data type '17'");
        assertInitializerFails(tensor("w", DataType.FLOAT, 2, 3).addAllFloatData(List.of(1f, 2f)),
                "initializer 'w' of dims [2, 3] needs 6 F32 elements but holds 2 in float_data");
        assertInitializerFails(tensor("w", DataType.FLOAT, 2).setRawData(ByteString.copyFrom(new byte[7])),
                "initializer 'w' of dims [2] needs 2 F32 elements but holds 7 bytes of raw_data, not a whole number of 4-byte elements");
        assertInitializerFails(tensor("h", DataType.FLOAT16, 3), "needs 3 F16 elements but holds 0 in int32_data");
        assertInitializerFails(tensor("w", DataType.FLOAT, -1), "initializer 'w' has a negative dimension in [-1]");
        assertInitializerFails(tensor("", DataType.FLOAT, 0), "initializer #0 has no name");
    }

    @Test
    void testTwoInitializersOfOneNameAreRefused() {
        GraphProto graph = GraphProto.newBuilder()
                .addInitializer(tensor("w", DataType.FLOAT, 1).addFloatData(1f))
                .addInitializer(tensor("w", DataType.FLOAT, 1).addFloatData(2f))
                .build();
        Path file = write("twice.onnx", ModelProto.newBuilder().setGraph(graph).build());
        assertFails(file).hasMessageContaining("two initializers are named 'w'");
    }

    private void assertInitializerFails(TensorProto.Builder tensor, String problem) {
        Path file = write("bad.onnx", ModelProto.newBuilder().setGraph(GraphProto.newBuilder().addInitializer(tensor)).build());
        assertFails(file).hasMessageStartingWith("Weights file '" + file + "' is not a valid ONNX file: ")
                .hasMessageContaining(problem);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(Path file) {
        return assertThatThrownBy(() -> OnnxInitializers.open(file).close())
                .isInstanceOfSatisfying(FadException.class, e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING));
    }

    private static TensorProto.Builder tensor(String name, DataType type, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor;
    }

    private static ByteString raw(ByteBuffer bytes) {
        return ByteString.copyFrom(bytes.array());
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Path write(String name, ModelProto model) {
        try {
            return Files.write(directory.resolve(name), model.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
