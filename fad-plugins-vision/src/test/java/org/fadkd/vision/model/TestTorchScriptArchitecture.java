package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fadkd.api.Architecture;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.MacCounted;
import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Architecture {@code torchscript} against PyTorch itself: {@code export_torchscript.py} exports
 * modules with Debian's torch at test time and records their outputs for a fixed input; the
 * architecture must reproduce the logits and every tap within 1e-4, train, save and load, and
 * reject modules that do not fit the task with a message naming the file and the mismatch.
 */
final class TestTorchScriptArchitecture {
    private static final float TOLERANCE = 1e-4f;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path exported;

    @BeforeAll
    static void export() {
        TorchReference.runScript("export_torchscript.py", exported.toString());
    }

    private static Architecture architecture(String file, List<String> taps) {
        return TestingModels.create(new TorchScriptArchitectureFactory(),
                Map.of("file", exported.resolve(file).toString(), "taps", taps));
    }

    @Test
    void testReproducesPyTorchsLogitsAndTaps() throws IOException {
        assertReproduces("tiny", new Shape(1, 28, 28), List.of("block1", "block2"));
    }

    @Test
    void testReproducesTorchvisionResNet18() throws IOException {
        assertReproduces("resnet18", new Shape(3, 64, 64), List.of("layer1", "layer2", "layer3", "layer4"));
    }

    private static void assertReproduces(String name, Shape sampleShape, List<String> taps) throws IOException {
        JsonNode expected = JSON.readTree(exported.resolve(name + ".json").toFile());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture(name + ".pt", taps).newBlock(sampleShape, 10);
            NDArray input = array(manager, expected.get("input"));
            // Shapes are known before the module is loaded for real: the host asks for them first.
            Shape[] shapes = block.getOutputShapes(new Shape[] {input.getShape()});
            block.initialize(manager, DataType.FLOAT32, input.getShape());
            NDList outputs = block.forward(new ParameterStore(manager, false), new NDList(input), false);
            List<String> keys = new java.util.ArrayList<>(List.of("logits"));
            keys.addAll(taps);
            assertThat(outputs).hasSize(keys.size());
            for (int index = 0; index < keys.size(); index++) {
                NDArray want = array(manager, expected.get(keys.get(index)));
                assertThat(shapes[index]).as(keys.get(index)).isEqualTo(want.getShape());
                assertThat(outputs.get(index).getShape()).as(keys.get(index)).isEqualTo(want.getShape());
                float difference = outputs.get(index).sub(want).abs().max().getFloat();
                assertThat(difference).as("max |FAD - PyTorch| of %s", keys.get(index)).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void testTrainsAsAStudentAndSavesAndLoadsItsWeights() throws Exception {
        Architecture architecture = architecture("tiny.pt", List.of("block1", "block2"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture.newBlock(TestingModels.SAMPLE, 10);
            block.initialize(manager, DataType.FLOAT32, TestingModels.BATCH);
            NDArray input = manager.randomNormal(TestingModels.BATCH);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDList outputs = block.forward(new ParameterStore(manager, false), new NDList(input), true);
                collector.backward(outputs.get(0).square().sum().add(outputs.get(2).mean()));
            }
            List<Pair<String, Parameter>> trainable = block.getParameters().stream()
                    .filter(pair -> pair.getValue().requiresGradient()).toList();
            assertThat(trainable).isNotEmpty();
            for (Pair<String, Parameter> parameter : trainable) {
                assertThat(parameter.getValue().getArray().getGradient().abs().sum().getFloat())
                        .as("gradient of %s", parameter.getKey()).isPositive();
            }

            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(saved));
            Block reloaded = architecture.newBlock(TestingModels.SAMPLE, 10);
            reloaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            NDArray before = block.forward(new ParameterStore(manager, false), new NDList(input), false).get(0);
            NDArray after = reloaded.forward(new ParameterStore(manager, false), new NDList(input), false).get(0);
            assertThat(after.sub(before).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void testBringsItsWeightsFingerprintedAndHasUnknownMultiplyAccumulates() throws Exception {
        Architecture architecture = architecture("tiny.pt", List.of("block1", "block2"));
        String sha256 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(exported.resolve("tiny.pt"))));
        assertThat(architecture.getPretrainedWeights()).hasValueSatisfying(weights -> {
            assertThat(weights.file()).isEqualTo(exported.resolve("tiny.pt").toAbsolutePath());
            assertThat(weights.fingerprint()).isEqualTo("sha256:" + sha256);
        });
        Block block = architecture.newBlock(TestingModels.SAMPLE, 10);
        assertThat(MacCounter.count(block, TestingModels.SAMPLE)).isEqualTo(MacCounted.UNKNOWN);
    }

    @Test
    void testRejectsAModuleWithoutATapNamingWhatItReturns() {
        assertThatThrownBy(() -> architecture("tiny.pt", List.of("block1", "stage2")).newBlock(TestingModels.SAMPLE, 10))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                .hasMessageContaining("tiny.pt")
                .hasMessageContaining("no 'stage2'")
                .hasMessageContaining("block2");
    }

    @Test
    void testRejectsAnotherClassCount() {
        assertThatThrownBy(() -> architecture("tiny.pt", List.of("block1")).newBlock(TestingModels.SAMPLE, 7))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("tiny.pt")
                .hasMessageContaining("the task has 7 classes");
    }

    @Test
    void testRejectsAnotherInputShape() {
        assertThatThrownBy(() -> architecture("tiny.pt", List.of("block1")).newBlock(new Shape(3, 28, 28), 10))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                .hasMessageContaining("tiny.pt")
                .hasMessageContaining("input shape (3, 28, 28)");
    }

    @Test
    void testRejectsUnnamedOutputs() {
        assertThatThrownBy(() -> architecture("tiny_tuple.pt", List.of("block1")).newBlock(TestingModels.SAMPLE, 10))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("tiny_tuple.pt")
                .hasMessageContaining("Dict[str, Tensor]");
    }

    @Test
    void testRejectsATruncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(exported.resolve("tiny.pt"));
        Files.write(exported.resolve("truncated.pt"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> architecture("truncated.pt", List.of("block1")).newBlock(TestingModels.SAMPLE, 10))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("truncated.pt is not a TorchScript module");
    }

    @Test
    void testRejectsAMissingFileWhenTheSettingsAreRead() {
        assertThatThrownBy(() -> TestingModels.create(new TorchScriptArchitectureFactory(),
                        Map.of("file", exported.resolve("absent.pt").toString(), "taps", List.of("block1"))))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("Setting 'file' of architecture 'torchscript'")
                .hasMessageContaining("an existing file");
    }

    private static NDArray array(NDManager manager, JsonNode record) {
        long[] shape = new long[record.get("shape").size()];
        for (int index = 0; index < shape.length; index++) {
            shape[index] = record.get("shape").get(index).asLong();
        }
        float[] values = new float[record.get("values").size()];
        for (int index = 0; index < values.length; index++) {
            values[index] = (float) record.get("values").get(index).asDouble();
        }
        return manager.create(values, new Shape(shape));
    }
}
