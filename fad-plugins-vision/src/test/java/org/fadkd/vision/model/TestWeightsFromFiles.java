package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;
import org.fadkd.api.block.MacCounted;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.weights.SafetensorsReader;
import org.fadkd.vision.VisionPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model section's {@code weights} loads torchvision's weights into FAD's native architectures
 * from safetensors (float32 and bfloat16), ONNX and DJL's own {@code .params}, and reproduces what
 * PyTorch computes with them (weights_files.py), taps included; files that do not fit are refused
 * with the file and the mismatch named.
 */
final class TestWeightsFromFiles {
    private static final Shape BATCH = new Shape(2, 3, 64, 64);
    private static final List<String> OUTPUTS = List.of("logits", "stem", "layer1", "layer2", "layer3", "layer4");

    @TempDir
    static Path files;

    private final TestingFadContext context = TestingFadContext.of(new VisionPlugin());

    /** What weights_files.py printed: torchvision's state_dict names per ResNet depth. */
    private static JsonNode torchvisionNames;

    @BeforeAll
    static void writeFiles() {
        torchvisionNames = TorchReference.json("weights_files.py", files.toString()).get("names");
    }

    /** Every depth's map lists torchvision's names in state_dict order, bottleneck and downsample layers included. */
    @Test
    void testResNetNamesAreTorchvisionsAtEveryDepth() {
        for (int depth : new int[] {18, 34, 50, 101, 152}) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, "type = imagenet-resnet, depth = " + depth);
            Block block = architecture.newBlock(BATCH.slice(1), 10);
            List<String> expected = new ArrayList<>();
            torchvisionNames.get("resnet" + depth).forEach(name -> expected.add(name.asText()));
            assertThat(architecture.getParameterNames("torchvision", block).values())
                    .as("depth %d", depth)
                    .allMatch(FileTensor::isWhole)
                    .extracting(FileTensor::name)
                    .containsExactlyElementsOf(expected);
            assertThat(architecture.getParameterNames("torchvision", block).keySet())
                    .containsExactlyElementsOf(block.getParameters().keys());
            assertThat(architecture.getParameterNames("timm", block)).isEmpty();
        }
    }

    @Test
    void testSafetensorsReproducesTorchvisionResNet18() {
        assertReproduces(resnet18("resnet18.safetensors", "format = auto"), "", 1e-4f);
    }

    @Test
    void testSafetensorsReproducesTorchvisionResNet50() {
        Architecture resnet50 = context.create(ComponentKind.ARCHITECTURE, String.format(
                "type = imagenet-resnet, depth = 50, weights { file = \"%s\" }", file("resnet50.safetensors")));
        assertReproduces(resnet50, "resnet50.", 1e-4f);
    }

    @Test
    void testOnnxInitializersReproduceTorchvisionResNet18() {
        assertReproduces(resnet18("resnet18.onnx", "format = onnx"), "", 1e-4f);
    }

    /** bfloat16 weights are widened exactly, so they match PyTorch run with the same rounded weights. */
    @Test
    void testBfloat16SafetensorsReproduceTheRoundedNetwork() {
        assertReproduces(resnet18("resnet18-bf16.safetensors", "names = torchvision"), "bf16.", 1e-4f);
    }

    @Test
    void testVitFromSafetensorsReproducesTorchvisionLogits() {
        Architecture vit = context.create(ComponentKind.ARCHITECTURE, String.format("type = vit, hidden-dim = 24, "
                + "layers = 2, heads = 3, mlp-dim = 48, patch-size = 8, weights.file = \"%s\"", file("vit.safetensors")));
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsReader expected = SafetensorsReader.open(files.resolve("expected.safetensors"))) {
            Block block = vit.newBlock(new Shape(3, 32, 32), 10);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            NDList outputs = block.forward(new ParameterStore(manager, false),
                    new NDList(expected.read("vit.input", manager)), false);
            assertClose(outputs.head(), expected.read("vit.logits", manager), "logits", 1e-4f);
        }
    }

    /** A student exported by FAD ({@code Model.save}) loads back as weights under its DJL names. */
    @Test
    void testDjlParamsOfAnExportLoadAsWeights(@TempDir Path export) throws IOException {
        Architecture source = resnet18("resnet18.safetensors", "format = safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("student");
                SafetensorsReader expected = SafetensorsReader.open(files.resolve("expected.safetensors"))) {
            model.setBlock(source.newBlock(BATCH.slice(1), 10));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            model.save(export, "student");
            Path params = export.resolve("student-0000.params");
            assertThat(params).exists();

            Architecture loaded = context.create(ComponentKind.ARCHITECTURE, String.format(
                    "type = imagenet-resnet, depth = 18, weights.file = \"%s\"", file(params)));
            Block block = loaded.newBlock(BATCH.slice(1), 10);
            block.initialize(manager, DataType.FLOAT32, BATCH);
            NDList outputs = block.forward(new ParameterStore(manager, false),
                    new NDList(expected.read("input", manager)), false);
            assertClose(outputs.head(), expected.read("logits", manager), "logits", 1e-4f);
        }
    }

    /** The wrapper keeps the native parameter names and counts, and the MAC count is the native block's. */
    @Test
    void testPretrainedBlockIsTransparent() {
        Architecture pretrained = resnet18("resnet18.safetensors", "format = auto");
        Architecture bare = context.create(ComponentKind.ARCHITECTURE, "type = imagenet-resnet, depth = 18");
        Block wrapped = pretrained.newBlock(BATCH.slice(1), 10);
        Block plain = bare.newBlock(BATCH.slice(1), 10);
        assertThat(wrapped).isInstanceOf(MacCounted.class);
        assertThat(wrapped.getParameters().keys()).isEqualTo(plain.getParameters().keys());
        assertThat(wrapped.getChildren().keys()).isEqualTo(plain.getChildren().keys());
        try (NDManager manager = NDManager.newBaseManager()) {
            wrapped.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            plain.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            assertThat(MacCounter.count(wrapped, BATCH.slice(1)))
                    .isEqualTo(MacCounter.count(plain, BATCH.slice(1)));
        }
        assertThat(pretrained.getPretrainedWeights()).hasValueSatisfying(weights -> {
            assertThat(weights.file()).isEqualTo(files.resolve("resnet18.safetensors").toAbsolutePath());
            assertThat(weights.fingerprint()).startsWith("sha256:").hasSize(7 + 64);
        });
        assertThat(pretrained.getTapNames()).isEqualTo(bare.getTapNames());
    }

    @Test
    void testDeeperNetworksWeightsAreRefused() {
        assertThatThrownBy(() -> initialise(resnet18("resnet34-bf16.safetensors", "format = auto")))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                .hasMessageContaining("resnet34-bf16.safetensors")
                .hasMessageContaining("does not fit architecture 'imagenet-resnet' (depth = 18, width-multiplier = 1")
                .hasMessageContaining("the model does not use: 'layer1.2.conv1.weight'");
    }

    @Test
    void testShallowerFileLacksTensors() {
        Architecture resnet34 = context.create(ComponentKind.ARCHITECTURE, String.format(
                "type = imagenet-resnet, depth = 34, weights.file = \"%s\"", file("resnet18-bf16.safetensors")));
        assertThatThrownBy(() -> initialise(resnet34))
                .hasMessageContaining("it lacks")
                .hasMessageContaining("'layer1.2.conv1.weight'");
    }

    @Test
    void testHeadOfAnotherClassCountIsNamed() {
        assertThatThrownBy(() -> initialise(resnet18("resnet18-1000-bf16.safetensors", "format = auto")))
                .hasMessageContaining("the file's head has 1000 classes, the task 10")
                .hasMessageContaining("'fc.weight' is (1000, 512) in the file, (10, 512) in the model");
    }

    @Test
    void testTruncatedFileIsRefusedWithItsName() throws IOException {
        Path truncated = files.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(files.resolve("resnet18.safetensors"));
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> initialise(resnet18("truncated.safetensors", "format = auto")))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode().getKind()).isEqualTo(ErrorCode.Kind.USER))
                .hasMessageContaining("truncated.safetensors")
                .hasMessageContaining("is not a valid safetensors file");
    }

    /** Validation (the runner's validate) reports the section's problems with their keys and origins. */
    @Test
    void testValidationNamesMissingFileUnknownFormatAndKeys() throws IOException {
        Path unknown = Files.writeString(files.resolve("weights.bin"), "x");
        ComponentBinder binder = new ComponentBinder(context.getRegistry());
        assertThat(binder.validate(ComponentKind.ARCHITECTURE, "teacher", ConfigFactory.parseString(
                "type = imagenet-resnet, weights { file = missing.safetensors, names = timm }")))
                .anySatisfy(problem -> assertThat(problem).startsWith("Setting 'teacher.weights.file' of architecture"
                        + " 'imagenet-resnet' is 'missing.safetensors'").contains("an existing file"))
                .anySatisfy(problem -> assertThat(problem).startsWith("Setting 'teacher.weights.names'")
                        .contains("one of auto, torchvision, djl"));
        assertThat(binder.validate(ComponentKind.ARCHITECTURE, "teacher", ConfigFactory.parseString(String.format(
                "type = imagenet-resnet, weights { file = \"%s\" }", file(unknown)))))
                .singleElement().asString().startsWith("Setting 'teacher.weights.format'")
                .contains("auto cannot tell the format of 'weights.bin'");
        assertThat(binder.validate(ComponentKind.ARCHITECTURE, "teacher", ConfigFactory.parseString(String.format(
                "type = imagenet-resnet, weights { file = \"%s\", format = pickle, fil = x }", file(unknown)))))
                .singleElement().asString()
                .contains("Configuration key 'teacher.weights.fil'").contains("Did you mean 'teacher.weights.file'?");
        assertThat(binder.validate(ComponentKind.ARCHITECTURE, "teacher", ConfigFactory.parseString(String.format(
                "type = imagenet-resnet, depth = 18, weights { file = \"%s\" }",
                file("resnet18.safetensors"))))).isEmpty();
    }

    @Test
    void testArchitectureWithoutTheConventionIsRefused() {
        Architecture vgg = context.create(ComponentKind.ARCHITECTURE, String.format(
                "type = cnn, weights.file = \"%s\"", file("resnet18.safetensors")));
        assertThatThrownBy(() -> vgg.newBlock(new Shape(1, 28, 28), 10))
                .hasMessageContaining("uses torchvision parameter names (weights.names), which architecture 'cnn'")
                .hasMessageContaining("names = djl");
    }

    /** Logits only: they depend on every weight; the mobile families' taps are by stride, not torchvision's modules. */
    @Test
    void testMobileFamiliesFromSafetensorsReproduceTorchvisionLogits() {
        Map<String, String> sections = Map.of(
                "mobilenet-v2", "type = mobilenet-v2",
                "mobilenet-v3-small", "type = mobilenet-v3, size = small",
                "shufflenet-v2", "type = shufflenet-v2, multiplier = 1.0");
        for (String model : new TreeSet<>(sections.keySet())) {
            Architecture mobilenet = context.create(ComponentKind.ARCHITECTURE, String.format(
                    "%s, weights.file = \"%s\"", sections.get(model), file(model + ".safetensors")));
            try (NDManager manager = NDManager.newBaseManager();
                    SafetensorsReader expected = SafetensorsReader.open(files.resolve("expected.safetensors"))) {
                Block block = mobilenet.newBlock(BATCH.slice(1), 10);
                block.initialize(manager, DataType.FLOAT32, BATCH);
                NDList outputs = block.forward(new ParameterStore(manager, false),
                        new NDList(expected.read("input", manager)), false);
                assertClose(outputs.head(), expected.read(model + ".logits", manager), model, 1e-4f);
            }
        }
    }

    @Test
    void testVggMobileAndDenseNetNamesAreTorchvisions() {
        Map<String, String> sections = Map.of(
                "vgg11", "type = imagenet-vgg, depth = 11, batch-norm = false",
                "vgg11_bn", "type = imagenet-vgg, depth = 11, batch-norm = true",
                "mobilenet_v2", "type = mobilenet-v2",
                "mobilenet_v3_large", "type = mobilenet-v3, size = large",
                "mobilenet_v3_small", "type = mobilenet-v3, size = small",
                "shufflenet_v2_x0_5", "type = shufflenet-v2, multiplier = 0.5",
                "densenet121", "type = densenet, depth = 121");
        for (String model : new TreeSet<>(sections.keySet())) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, sections.get(model));
            Block block = architecture.newBlock(BATCH.slice(1), 10);
            List<String> expected = new ArrayList<>();
            torchvisionNames.get(model).forEach(name -> expected.add(name.asText()));
            assertThat(architecture.getParameterNames("torchvision", block).values())
                    .as(model)
                    .extracting(FileTensor::name)
                    .containsExactlyElementsOf(expected);
        }
    }

    private Architecture resnet18(String fileName, String settings) {
        return context.create(ComponentKind.ARCHITECTURE, String.format(
                "type = imagenet-resnet, depth = 18, weights { file = \"%s\", %s }", file(fileName), settings));
    }

    private static String file(String name) {
        return file(files.resolve(name));
    }

    private static String file(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "\\\\");
    }

    private static void initialise(Architecture architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            architecture.newBlock(BATCH.slice(1), 10).initialize(manager, DataType.FLOAT32, BATCH);
        }
    }

    private static void assertReproduces(Architecture architecture, String prefix, float tolerance) {
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsReader expected = SafetensorsReader.open(files.resolve("expected.safetensors"))) {
            Block block = architecture.newBlock(BATCH.slice(1), 10);
            block.initialize(manager, DataType.FLOAT32, BATCH);
            NDList outputs = block.forward(new ParameterStore(manager, false),
                    new NDList(expected.read("input", manager)), false);
            for (int i = 0; i < OUTPUTS.size(); i++) {
                assertClose(outputs.get(i), expected.read(prefix + OUTPUTS.get(i), manager), OUTPUTS.get(i), tolerance);
            }
        }
    }

    /**
     * Within {@code tolerance} of the reference, relative to the reference's scale when that exceeds
     * 1: deep networks with random weights reach activations in the tens, where float32 sums in
     * another order (libtorch 1.13 against 2.7.1) differ by a few ulps, not by 1e-4 absolute.
     */
    private static void assertClose(NDArray actual, NDArray expected, String what, float tolerance) {
        assertThat(actual.getShape()).as(what).isEqualTo(expected.getShape());
        float scale = Math.max(1f, expected.abs().max().getFloat());
        assertThat(actual.sub(expected).abs().max().getFloat() / scale)
                .as("%s: max |FAD - PyTorch| / max(1, max |PyTorch|), scale %s", what, scale)
                .isLessThan(tolerance);
    }
}
