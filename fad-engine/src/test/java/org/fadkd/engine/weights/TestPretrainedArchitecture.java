package org.fadkd.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's handling of a model's {@code weights}, on a tiny MLP and DJL's own {@code .params}:
 * the file is loaded when the block is initialised, parameters loaded from a checkpoint win over
 * it, and the wrapped block saves exactly the bytes of the bare one.
 */
final class TestPretrainedArchitecture {
    private static final Shape SAMPLE = new Shape(6);
    private static final Shape BATCH = new Shape(2, 6);
    private static final int CLASSES = 3;

    /** Architecture {@code testing-mlp}: {@link TestingComponents#mlp} with one hidden layer of 5. */
    private static final FadPlugin PLUGIN = new FadPlugin() {
        @Override
        public List<ArchitectureFactory> getArchitectureFactories() {
            return List.of(new ArchitectureFactory() {
                @Override
                public String getName() {
                    return "testing-mlp";
                }

                @Override
                public Architecture create(Config settings, FadContext context) {
                    return TestingComponents.mlp(5);
                }

                @Override
                public Config getDefaults() {
                    return ConfigFactory.empty();
                }
            });
        }
    };

    @Test
    void testFileIsLoadedWhenTheBlockIsInitialised(@TempDir Path directory) throws IOException {
        Path file = saveRandomMlp(directory, "source", 1f);
        try (TestingFadContext context = TestingFadContext.of(PLUGIN); Model model = Model.newInstance("m")) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, weightsSection(file));
            assertThat(architecture).isInstanceOf(PretrainedArchitecture.class);
            assertThat(architecture.getPretrainedWeights()).hasValueSatisfying(
                    weights -> assertThat(weights.file()).isEqualTo(file.toAbsolutePath()));
            model.setBlock(architecture.newBlock(SAMPLE, CLASSES));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            assertThat(values(model.getBlock())).isEqualTo(values(loadBare(file)));
        }
    }

    /** A resumed checkpoint's parameters are the job's, not the file's. */
    @Test
    void testLoadedParametersAreNotReplacedByTheFile(@TempDir Path directory)
            throws IOException, MalformedModelException {
        Path file = saveRandomMlp(directory, "source", 1f);
        Path checkpoint = saveRandomMlp(directory, "checkpoint", 5f);
        try (TestingFadContext context = TestingFadContext.of(PLUGIN); Model model = Model.newInstance("m")) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, weightsSection(file));
            model.setBlock(architecture.newBlock(SAMPLE, CLASSES));
            model.load(directory, "checkpoint");
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            assertThat(values(model.getBlock())).isEqualTo(values(loadBare(checkpoint)));
        }
    }

    /** Checkpoints and exports of a student with weights load into the bare architecture. */
    @Test
    void testWrappedBlockSavesTheBareBlocksBytes(@TempDir Path directory) throws IOException {
        Path file = saveRandomMlp(directory, "source", 1f);
        try (TestingFadContext context = TestingFadContext.of(PLUGIN); Model model = Model.newInstance("copy")) {
            model.setBlock(context.create(ComponentKind.ARCHITECTURE, weightsSection(file)).newBlock(SAMPLE, CLASSES));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            // under the source's prefix, which the file's header records
            Path copy = Files.createDirectory(directory.resolve("copy"));
            model.save(copy, "source");
            assertThat(Files.readAllBytes(copy.resolve("source-0000.params"))).isEqualTo(Files.readAllBytes(file));
        }
    }

    /** {@code weights = null}, an override that drops a config option's file, means no weights. */
    @Test
    void testNullWeightsMeansNone() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, "type = testing-mlp, weights = null");
            assertThat(architecture).isNotInstanceOf(PretrainedArchitecture.class);
            assertThat(architecture.getPretrainedWeights()).isEmpty();
        }
    }

    /**
     * {@code new-head = true}: a 3-class file loads into a 4-class model, the hidden layer from the
     * file and the head as initialised; without it the file is refused, naming the head.
     */
    @Test
    void testNewHeadKeepsTheHeadsInitialisation(@TempDir Path directory) throws IOException {
        Path file = saveRandomMlp(directory, "source", 1f);
        List<List<Float>> saved = values(loadBare(file));
        try (TestingFadContext context = TestingFadContext.of(PLUGIN); Model model = Model.newInstance("m")) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE,
                    weightsSection(file).replace(" }", ", new-head = true }"));
            model.setBlock(architecture.newBlock(SAMPLE, CLASSES + 1));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            List<List<Float>> loaded = values(model.getBlock());
            // hidden1's weight and bias from the file; the head's 4 x 5 weight and bias are new
            assertThat(loaded.subList(0, 2)).isEqualTo(saved.subList(0, 2));
            assertThat(loaded.get(2)).hasSize((CLASSES + 1) * 5);

            Architecture strict = context.create(ComponentKind.ARCHITECTURE, weightsSection(file));
            Block block = strict.newBlock(SAMPLE, CLASSES + 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> block.initialize(model.getNDManager(), DataType.FLOAT32, BATCH))
                    .hasMessageContaining("the file's head has 3 classes, the task 4");
        }
    }

    /** A model without a head cannot take a new one. */
    @Test
    void testNewHeadNeedsAHead(@TempDir Path directory) throws IOException {
        Path file = saveRandomMlp(directory, "source", 1f);
        try (Model model = Model.newInstance("m")) {
            Block bare = new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(3).build());
            bare.initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            WeightsSettings settings = new WeightsSettings(file, WeightsFormat.DJL, WeightsSettings.DJL_NAMES, true,
                    List.of());
            try (WeightsFile weights = DjlParametersFile.open(file, TestingComponents.mlp(5).newBlock(SAMPLE, CLASSES),
                    "mlp")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeightsLoader.load(weights,
                        Map.of("01Linear_weight", org.fadkd.api.FileTensor.whole("01Linear_weight")), bare, "a linear",
                        3, settings))
                        .hasMessageContaining("new-head = true").hasMessageContaining("has no head");
            }
        }
    }

    /** A task model's checkpoint keeps the base model under one prefix; the one that finds most names wins. */
    @Test
    void testBasePrefixFindsTheNamesAFileLacks() {
        java.util.Set<String> file = java.util.Set.of("bert.embeddings.weight", "bert.encoder.0.weight",
                "classifier.weight", "other.encoder.0.weight");
        assertThat(WeightsLoader.basePrefix(List.of("embeddings.weight", "encoder.0.weight", "classifier.weight"), file))
                .isEqualTo("bert.");
        assertThat(WeightsLoader.basePrefix(List.of("classifier.weight"), file)).isEmpty();
        assertThat(WeightsLoader.basePrefix(List.of("pooler.weight"), file)).isEmpty();
    }

    @Test
    void testIgnorePatternsAreGlobs() {
        WeightsSettings settings = new WeightsSettings(Path.of("model.safetensors"), WeightsFormat.SAFETENSORS,
                WeightsSettings.AUTO_NAMES, false, List.of("cls.*", "*.attn.bias"));
        assertThat(settings.isIgnored("cls.predictions.bias")).isTrue();
        assertThat(settings.isIgnored("transformer.h.0.attn.bias")).isTrue();
        assertThat(settings.isIgnored("h.0.attn.c_attn.bias")).isFalse();
        assertThat(settings.isIgnored("bert.cls")).isFalse();
    }

    private static String weightsSection(Path file) {
        return String.format("type = testing-mlp, weights { file = \"%s\" }",
                file.toAbsolutePath().toString().replace("\\", "\\\\"));
    }

    /** Saves a bare MLP with N(0, sigma²) parameters as {@code <prefix>-0000.params}. */
    private static Path saveRandomMlp(Path directory, String prefix, float sigma) throws IOException {
        try (Model model = Model.newInstance(prefix)) {
            model.setBlock(TestingComponents.mlp(5).newBlock(SAMPLE, CLASSES));
            model.getBlock().setInitializer(new NormalInitializer(sigma), Parameter.Type.WEIGHT);
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, BATCH);
            model.save(directory, prefix);
        }
        return directory.resolve(prefix + "-0000.params");
    }

    private static Block loadBare(Path file) {
        Model model = Model.newInstance("bare");
        model.setBlock(TestingComponents.mlp(5).newBlock(SAMPLE, CLASSES));
        try (InputStream in = Files.newInputStream(file)) {
            model.load(in, Map.of());
        } catch (IOException | MalformedModelException e) {
            throw new AssertionError(e);
        }
        return model.getBlock();
    }

    private static List<List<Float>> values(Block block) {
        List<List<Float>> values = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            List<Float> parameter = new ArrayList<>();
            for (float value : pair.getValue().getArray().toFloatArray()) {
                parameter.add(value);
            }
            values.add(parameter);
        }
        return values;
    }
}
