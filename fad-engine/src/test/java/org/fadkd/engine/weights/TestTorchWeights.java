package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers against PyTorch's own files: a safetensors file of a state_dict in float32,
 * bfloat16, float16, float64 and int64 (with every 16-bit pattern as float16 and as bfloat16), and
 * the ONNX export of the same network. Each tensor must read as exactly the float32 PyTorch's
 * {@code t.float()} gives (the script writes those next to it), and each ONNX initializer as
 * exactly the state_dict's float32. Needs Debian's {@code python3-torch}; see {@link TorchReference}.
 */
final class TestTorchWeights {
    private static final List<String> STATE = List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias",
            "bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "head.weight", "head.bias");

    @TempDir
    static Path directory;

    private static boolean exported;

    /**
     * The script's files, written once for the class. Called from each test rather than from a
     * {@code @BeforeAll}, so that a missing PyTorch shows as skipped tests and not as none run.
     */
    private static synchronized Path files() {
        if (!exported) {
            TorchReference.runScript("torch_weights.py", directory.toString());
            exported = true;
        }
        return directory;
    }

    @Test
    void testEverySafetensorsTensorReadsAsPytorchWidensIt() {
        try (SafetensorsReader state = SafetensorsReader.open(files().resolve("state.safetensors"));
                SafetensorsReader expected = SafetensorsReader.open(files().resolve("expected.safetensors"))) {
            assertThat(state.getMetadata()).isEqualTo(Map.of("format", "pt"));
            assertThat(state.getTensors()).extracting(WeightInfo::name).containsAll(STATE)
                    .contains("bf16.conv.weight", "f16.head.weight", "f64.bn.running_var", "every.f16", "every.bf16");
            assertThat(state.getInfo("bf16.conv.weight")).isEqualTo(
                    new WeightInfo("bf16.conv.weight", StoredType.BF16, new Shape(4, 3, 3, 3), 108));
            assertThat(state.getInfo("bn.num_batches_tracked").storedType()).isEqualTo(StoredType.I64);
            for (WeightInfo info : state.getTensors()) {
                if (info.storedType().isFloatingPoint()) {
                    assertSameFloats(info.name(), state.readFloats(info.name()), expected.readFloats(info.name()));
                } else {
                    assertThat(state.readLongs(info.name())).as(info.name()).containsExactly(expected.readLongs(info.name()));
                }
            }
            assertThat(state.readLongs("bn.num_batches_tracked")).containsExactly(12345L);
            assertThat(state.readLongs("int32")).containsExactly(-7L, 0L, (1L << 31) - 1);
        }
    }

    @Test
    void testOnnxInitializersAreTheStateDictsFloat32() {
        try (OnnxInitializers onnx = OnnxInitializers.open(files().resolve("model.onnx"));
                SafetensorsReader expected = SafetensorsReader.open(files().resolve("expected.safetensors"))) {
            List<String> weights = STATE.stream().filter(name -> !name.endsWith("num_batches_tracked")).toList();
            assertThat(onnx.getTensors()).extracting(WeightInfo::name).containsAll(weights);
            for (String name : weights) {
                assertThat(onnx.getInfo(name).storedType()).as(name).isEqualTo(StoredType.F32);
                assertThat(onnx.getInfo(name).shape()).as(name).isEqualTo(expected.getInfo(name).shape());
                assertSameFloats(name, onnx.readFloats(name), expected.readFloats(name));
            }
            assertThat(onnx.getGraph().getNodeList()).extracting(node -> node.getOpType())
                    .contains("Conv", "Relu", "BatchNormalization", "Gemm");
        }
    }

    /** Bit for bit, except that any NaN equals any NaN (PyTorch may quiet a signalling NaN's payload). */
    private static void assertSameFloats(String name, float[] actual, float[] expected) {
        assertThat(actual).as(name).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError(String.format("%s[%d]: read %s (%08x), PyTorch %s (%08x)", name, i, actual[i],
                        Float.floatToRawIntBits(actual[i]), expected[i], Float.floatToRawIntBits(expected[i])));
            }
        }
    }
}
