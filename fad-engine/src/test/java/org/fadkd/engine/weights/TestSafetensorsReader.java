package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.engine.weights.TestingSafetensors.shape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors files written byte by byte, every dtype, and the malformed files the reader refuses. */
final class TestSafetensorsReader {
    @TempDir
    Path directory;

    @Test
    void testReadsEveryDtypeWithItsNameShapeAndMetadata() {
        Path file = new TestingSafetensors()
                .metadata("format", "pt")
                .f32("conv.weight", shape(2, 3), 1f, -2.5f, 0.1f, 3e-39f, Float.MAX_VALUE, -0f)
                .f64("head.bias", shape(3), 0.1, -1e300, 1.0 / 3)
                .bits16("half", "F16", shape(2), 0x3c00, 0xc100)
                .bits16("brain", "BF16", shape(1, 2), 0x3f80, 0xc020)
                .i64("bn.num_batches_tracked", shape(), 123_456_789_012L)
                .i32("index", shape(3), -1, 0, Integer.MAX_VALUE)
                .tensor("flags", "BOOL", shape(3), new byte[] {0, 1, 7})
                .tensor("bytes", "U8", shape(2), new byte[] {(byte) 255, 3})
                .tensor("empty", "F32", shape(0, 4), new byte[0])
                .write(directory.resolve("model.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.getMetadata()).isEqualTo(Map.of("format", "pt"));
            assertThat(reader.getTensors()).extracting(WeightInfo::name).containsExactly("conv.weight", "head.bias",
                    "half", "brain", "bn.num_batches_tracked", "index", "flags", "bytes", "empty");
            assertThat(reader.getInfo("conv.weight")).isEqualTo(new WeightInfo("conv.weight", StoredType.F32, new Shape(2, 3), 6));
            assertThat(reader.getInfo("bn.num_batches_tracked").shape().dimension()).isZero();
            assertThat(reader.getInfo("bn.num_batches_tracked").size()).isEqualTo(1);
            assertThat(reader.getInfo("empty").size()).isZero();

            assertThat(reader.readFloats("conv.weight")).containsExactly(1f, -2.5f, 0.1f, 3e-39f, Float.MAX_VALUE, -0f);
            assertThat(Float.floatToRawIntBits(reader.readFloats("conv.weight")[5])).isEqualTo(0x80000000);
            assertThat(reader.readFloats("head.bias")).containsExactly(0.1f, Float.NEGATIVE_INFINITY, 1f / 3);
            assertThat(reader.readFloats("half")).containsExactly(1f, -2.5f);
            assertThat(reader.readFloats("brain")).containsExactly(1f, -2.5f);
            assertThat(reader.readLongs("bn.num_batches_tracked")).containsExactly(123_456_789_012L);
            assertThat(reader.readLongs("index")).containsExactly(-1, 0, Integer.MAX_VALUE);
            assertThat(reader.readFloats("index")).containsExactly(-1f, 0f, (float) Integer.MAX_VALUE);
            assertThat(reader.readLongs("flags")).containsExactly(0, 1, 1);
            assertThat(reader.readLongs("bytes")).containsExactly(255, 3);
            assertThat(reader.readFloats("empty")).isEmpty();
        }
    }

    @Test
    void testFloat16WidensExactlyIncludingExtremesSubnormalsInfinitiesAndNan() {
        Path file = new TestingSafetensors()
                .bits16("h", "F16", shape(12), 0x3c00, 0xc100, 0x7bff, 0xfbff, 0x0001, 0x03ff, 0x0400, 0x8000,
                        0x7c00, 0xfc00, 0x7e00, 0x3555)
                .write(directory.resolve("f16.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            float[] values = reader.readFloats("h");
            assertThat(Arrays.copyOf(values, 10)).containsExactly(1f, -2.5f, 65504f, -65504f,
                    0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
            assertThat(Float.floatToRawIntBits(values[7])).as("negative zero").isEqualTo(0x80000000);
            assertThat(values[10]).isNaN();
            // 0x3555 = 0.333251953125, the float16 nearest 1/3.
            assertThat(values[11]).isEqualTo(0.333251953125f);
        }
    }

    @Test
    void testBfloat16IsTheUpperHalfOfAFloat32() {
        Path file = new TestingSafetensors()
                .bits16("b", "BF16", shape(8), 0x3f80, 0xc020, 0x7f7f, 0x0001, 0x8000, 0x7f80, 0xff80, 0x7fc0)
                .write(directory.resolve("bf16.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            float[] values = reader.readFloats("b");
            assertThat(Arrays.copyOf(values, 7)).containsExactly(1f, -2.5f, Float.intBitsToFloat(0x7f7f0000),
                    0x1p-133f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
            assertThat(Float.intBitsToFloat(0x7f7f0000)).isEqualTo(3.3895314e38f);
            assertThat(values[7]).isNaN();
        }
    }

    @Test
    void testEveryFloat16BitPatternAgreesWithFloat32Arithmetic() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Decoding.f16ToFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double magnitude = exponent == 0 ? mantissa * Math.pow(2, -24)
                    : exponent == 0x1f ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1024 + mantissa) * Math.pow(2, exponent - 25);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            if (Double.isNaN(expected)) {
                assertThat(value).as("bits %04x", bits).isNaN();
            } else {
                assertThat((double) value).as("bits %04x", bits).isEqualTo(expected);
                assertThat(Float.floatToRawIntBits(value) >>> 31).as("sign of %04x", bits).isEqualTo(bits >>> 15);
            }
        }
    }

    @Test
    void testTensorsLargerThanOneChunkAreReadWhole() {
        int count = (1 << 18) + 7; // 1 MiB + 28 bytes of F32: two positional reads
        float[] values = new float[count];
        double[] doubles = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = i;
            doubles[i] = -i;
        }
        Path file = new TestingSafetensors()
                .bits16("odd", "F16", shape(3), 0x3c00, 0x4000, 0x4200)
                .f32("big", shape(count), values)
                .f64("bigger", shape(count), doubles)
                .write(directory.resolve("big.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("big")).containsExactly(values);
            float[] negated = reader.readFloats("bigger");
            assertThat(negated[count - 1]).isEqualTo(-(count - 1f));
            assertThat(negated[1 << 17]).isEqualTo(-(1 << 17));
            assertThat(reader.readFloats("odd")).containsExactly(1f, 2f, 3f);
        }
    }

    @Test
    void testThreadsReadTheSameFileConcurrently() throws Exception {
        int count = (1 << 18) + 3;
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * 0.5f;
        }
        Path file = new TestingSafetensors().f32("a", shape(count), values).bits16("b", "BF16", shape(2), 0x3f80, 0x4000)
                .write(directory.resolve("shared.safetensors"));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            List<Future<Boolean>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = i % 2 == 0 ? "a" : "b";
                float[] expected = i % 2 == 0 ? values : new float[] {1f, 2f};
                reads.add(threads.submit(() -> Arrays.equals(reader.readFloats(name), expected)));
            }
            for (Future<Boolean> read : reads) {
                assertThat(read.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void testReadsIntoDjlArraysWithoutHandingBfloat16ToDjl() {
        Path file = new TestingSafetensors()
                .bits16("w", "BF16", shape(2, 2), 0x3f80, 0xc020, 0x4000, 0x0000)
                .i64("n", shape(), 7)
                .write(directory.resolve("djl.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file); NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = reader.read("w", manager);
            assertThat(weight.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(weight.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(weight.toFloatArray()).containsExactly(1f, -2.5f, 2f, 0f);
            NDArray counter = reader.read("n", manager);
            assertThat(counter.getDataType()).isEqualTo(DataType.INT64);
            assertThat(counter.getShape()).isEqualTo(new Shape());
            assertThat(counter.toLongArray()).containsExactly(7);
        }
    }

    @Test
    void testAMissingTensorIsNamedWithTheNearestName() {
        Path file = new TestingSafetensors().f32("encoder.weight", shape(1), 1f).write(directory.resolve("m.safetensors"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThatThrownBy(() -> reader.readFloats("encoder.weigth"))
                    .isInstanceOfSatisfying(FadException.class, e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                    .hasMessage("Weights file '%s' has no tensor 'encoder.weigth'. Did you mean 'encoder.weight'?", file);
            assertThatThrownBy(() -> reader.readLongs("encoder.weight")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("F32, not an integer type");
        }
        SafetensorsReader closed = SafetensorsReader.open(file);
        closed.close();
        assertThatThrownBy(() -> closed.readFloats("encoder.weight")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void testAFileThatIsNotThereOrTooShortIsRefused() throws IOException {
        Path absent = directory.resolve("absent.safetensors");
        assertFails(absent).hasMessageContaining("Cannot read weights file '" + absent + "'")
                .hasMessageContaining("No such file or directory");
        Path tiny = TestingSafetensors.writeBytes(directory.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertFails(tiny).hasMessageContaining("it has 3 bytes, fewer than the 8 of the header length")
                .hasMessageContaining("truncated");
        Path empty = Files.write(directory.resolve("empty.safetensors"), new byte[0]);
        assertFails(empty).hasMessageContaining("it has 0 bytes");
    }

    @Test
    void testAHeaderLengthBeyondTheFileIsRefused() {
        TestingSafetensors writer = new TestingSafetensors().f32("w", shape(2), 1f, 2f);
        Path file = directory.resolve("long.safetensors");
        TestingSafetensors.write(file, writer.header(), writer.data());
        byte[] bytes = readBytes(file);
        bytes[6] = 1; // the length's 7th byte: 2^48 and more
        TestingSafetensors.writeBytes(file, bytes);
        assertFails(file).hasMessageContaining("its header length").hasMessageContaining("is beyond the file's");
        bytes[7] = (byte) 0x80; // negative as a signed long
        TestingSafetensors.writeBytes(file, bytes);
        assertFails(file).hasMessageContaining("is beyond the file's");
    }

    @Test
    void testATruncatedFileIsRefusedBeforeAnyDataIsRead() {
        TestingSafetensors writer = new TestingSafetensors().f32("a", shape(2), 1f, 2f).f32("b", shape(3), 3f, 4f, 5f);
        byte[] data = writer.data();
        Path file = TestingSafetensors.write(directory.resolve("cut.safetensors"), writer.header(),
                Arrays.copyOf(data, data.length - 1));
        assertFails(file)
                .hasMessage("Weights file '%s' is not a valid safetensors file: tensor 'b' has data_offsets [8, 20] "
                        + "outside the data's 19 bytes. The file looks truncated (an interrupted download or copy): "
                        + "fetch or export it again.", file);
        // Cut inside the header: its length now runs past the end.
        byte[] whole = readBytes(writer.write(directory.resolve("whole.safetensors")));
        Path cutHeader = TestingSafetensors.writeBytes(directory.resolve("cut-header.safetensors"), Arrays.copyOf(whole, 20));
        assertFails(cutHeader).hasMessageContaining("is beyond the file's 20 bytes");
    }

    @Test
    void testMalformedHeadersAreRefusedWithWhatIsWrong() {
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]", "its header is not valid JSON");
        assertHeaderFails("[1, 2]", "its header is not a JSON object");
        assertHeaderFails("{} {}", "its header is not valid JSON");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "Duplicate field 'w'");
        assertHeaderFails("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}",
                "tensor 'w' has dtype 'F8_E4M3', which FAD does not read");
        assertHeaderFails("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has no dtype string");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "negative dimension");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                "tensor 'w' has shape value '1.5', not an integer");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
                "tensor 'w' has no data_offsets list of 2 integers");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                "tensor 'w' has data_offsets [0, 4] (4 bytes) but F32 of shape [2] needs 8 bytes");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "outside the data's 8 bytes");
        assertHeaderFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[2,6]}}", "tensors 'a' [0, 4] and 'b' [2, 6] overlap");
        // An empty tensor between them hides nothing: 'c' lies inside 'a'.
        assertHeaderFails("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[2,2]},"
                + "\"c\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[5,6]}}", "tensors 'a' [0, 8] and 'c' [5, 6] overlap");
        assertHeaderFails("{\"__metadata__\":{\"epoch\":3}}", "its __metadata__ value 'epoch' is not a string");
        assertHeaderFails("{\"w\":[1]}", "tensor 'w' is not described by an object");
        assertHeaderFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}",
                "too many elements to count");
    }

    private void assertHeaderFails(String header, String problem) {
        Path file = TestingSafetensors.write(directory.resolve("bad.safetensors"), header, new byte[8]);
        assertFails(file).hasMessageStartingWith("Weights file '" + file + "' is not a valid safetensors file: ")
                .hasMessageContaining(problem);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(Path file) {
        return assertThatThrownBy(() -> SafetensorsReader.open(file).close())
                .isInstanceOfSatisfying(FadException.class, e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING));
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
