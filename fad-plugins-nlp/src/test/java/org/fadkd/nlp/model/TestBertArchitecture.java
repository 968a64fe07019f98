package org.fadkd.nlp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.NlpPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture {@code bert} on a tiny configuration: settings, taps, masks, counts and Hugging Face names. */
final class TestBertArchitecture {
    /** V 50, P 16, 2 types, H 8, 2 heads, F 32 (MLP ratio 4, fad-spec §13's example block), 2 layers. */
    private static final String TINY = "type = bert, vocab-size = 50, layers = 2, hidden = 8, heads = 2, ffn = 32,"
            + " max-positions = 16";
    private static final int CLASSES = 3;

    private final TestingFadContext context = TestingFadContext.of(new NlpPlugin());

    @Test
    void testDefaultsAreMiniLmL6() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, "type = bert");
        assertThat(architecture.getTapNames()).containsExactly("embeddings", "layer1", "layer2", "layer3", "layer4",
                "layer5", "layer6");
        assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.FIRST_TOKEN);
        assertThat(BertSettings.from(new BertArchitectureFactory().getDefaults())).isEqualTo(
                new BertSettings(30522, 6, 384, 12, 1536, 512, 2, 1e-12, 0.1, 0.1, false, false));
    }

    @Test
    void testSettingsAreCheckedTogether() {
        assertThatThrownBy(() -> context.create(ComponentKind.ARCHITECTURE,
                "type = bert, hidden = 10, heads = 4, dropout = 1.0"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("heads")
                .hasMessageContaining("a divisor of 'hidden' (10)")
                .hasMessageContaining("dropout");
        assertThatThrownBy(() -> new BertArchitectureFactory().check(
                new BertArchitectureFactory().getDefaults().withValue("layers",
                        com.typesafe.config.ConfigValueFactory.fromAnyRef(0))))
                .hasMessageContaining("layers");
        assertThatThrownBy(() -> context.create(ComponentKind.ARCHITECTURE, "type = bert, hiden = 8"))
                .hasMessageContaining("is not used by architecture 'bert'");
    }

    @Test
    void testInputsOtherThanTokenSequencesAreRefused() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, TINY);
        assertThatThrownBy(() -> architecture.newBlock(new Shape(1, 28, 28), CLASSES))
                .hasMessageContaining("takes token ids").hasMessageContaining("(1, 28, 28)");
        assertThatThrownBy(() -> architecture.newBlock(new Shape(17), CLASSES))
                .hasMessageContaining("16 positions").hasMessageContaining("17 tokens");
    }

    @Test
    void testOutputsAndTapShapes() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, TINY + ", attention-tap = true");
        assertThat(architecture.getTapNames()).containsExactly("embeddings", "layer1", "attention", "layer2");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(architecture, manager, 5, CLASSES);
            NDList outputs = TestingTextModels.forward(block, manager,
                    new long[][] {{1, 7, 9, 2, 0}, {1, 4, 2, 0, 0}}, new long[][] {{1, 1, 1, 1, 0}, {1, 1, 1, 0, 0}});
            assertThat(outputs.getShapes()).containsExactly(new Shape(2, CLASSES), new Shape(2, 5, 8),
                    new Shape(2, 5, 8), new Shape(2, 2, 5, 5), new Shape(2, 5, 8));
            assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 5)})).containsExactly(outputs.getShapes());
            NDArray attention = outputs.get(3);
            // every query's weights sum to 1, and none goes to padding keys
            for (float sum : attention.sum(new int[] {3}).toFloatArray()) {
                assertThat(sum).isCloseTo(1f, within(1e-5f));
            }
            assertThat(attention.get(0).get(":, :, 4").toFloatArray()).containsOnly(0f);
            assertThat(attention.get(1).get(":, :, 3:").toFloatArray()).containsOnly(0f);
        }
    }

    /** A tokenizer with more ids than the word embedding has rows fails on the first batch, naming both and the keys. */
    @Test
    void testIdsBeyondTheVocabularyAreRefusedWithTheKeysToChange() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, TINY);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(architecture, manager, 4, CLASSES);
            // the highest id, 49, is still a row
            assertThat(TestingTextModels.forward(block, manager, new long[][] {{1, 49, 2, 0}},
                    new long[][] {{1, 1, 1, 0}}).get(0).getShape()).isEqualTo(new Shape(1, CLASSES));

            assertThatThrownBy(() -> TestingTextModels.forward(block, manager, new long[][] {{1, 7, 2, 0}, {1, 80, 2, 0}},
                    new long[][] {{1, 1, 1, 0}, {1, 1, 1, 0}}))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("token id 80, so it has at least 81 ids")
                    .hasMessageContaining("architecture 'bert' has a word embedding of 50 rows (its vocab-size)")
                    .hasMessageContaining("teacher.vocab-size or student.vocab-size")
                    .hasMessageContaining("data.tokenizer");
        }
    }

    /** What padding holds cannot change any token's state, and a padded sequence equals the sequence alone. */
    @Test
    void testPaddingIsMaskedOut() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, TINY);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(architecture, manager, 6, CLASSES);
            long[][] mask = {{1, 1, 1, 0, 0, 0}};
            NDList padded = TestingTextModels.forward(block, manager, new long[][] {{1, 7, 2, 0, 0, 0}}, mask);
            NDList otherPadding = TestingTextModels.forward(block, manager, new long[][] {{1, 7, 2, 33, 8, 49}}, mask);
            NDList alone = TestingTextModels.forward(block, manager, new long[][] {{1, 7, 2}}, new long[][] {{1, 1, 1}});
            for (int tap = 1; tap < padded.size(); tap++) {
                float[] expected = TestingTextModels.positions(alone.get(tap), 0, 3);
                assertThat(TestingTextModels.positions(padded.get(tap), 0, 3)).containsExactly(expected, within(1e-5f));
                assertThat(TestingTextModels.positions(otherPadding.get(tap), 0, 3)).containsExactly(expected,
                        within(1e-5f));
            }
            assertThat(padded.get(0).toFloatArray()).containsExactly(alone.get(0).toFloatArray(), within(1e-5f));
            // without the mask the padding is attended to: the test above can tell the difference
            NDList unmasked = TestingTextModels.forward(block, manager, new long[][] {{1, 7, 2, 33, 8, 49}},
                    new long[][] {{1, 1, 1, 1, 1, 1}});
            assertThat(TestingTextModels.positions(unmasked.get(2), 0, 3))
                    .isNotEqualTo(TestingTextModels.positions(alone.get(2), 0, 3));
        }
    }

    /**
     * fad-spec §13 by hand, L = 4, H = 8, F = 32: a layer's projections 4·L·H² = 1024, attention
     * 2·L²·H = 256, MLP 2·L·H·F = 2048, so 3328 as the spec's example block; two layers and the
     * classifier H·C = 24 make 6680, and the pooler adds H² = 64.
     */
    @Test
    void testMultiplyAccumulatesCountedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, TINY), manager, 4,
                    CLASSES);
            assertThat(MacCounter.count(block, new Shape(4))).isEqualTo(6680);
            Block pooled = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE,
                    TINY + ", pooler = true"), manager, 4, CLASSES);
            assertThat(MacCounter.count(pooled, new Shape(4))).isEqualTo(6680 + 64);
        }
    }

    /**
     * Embeddings (V + P + types)·H + 2H = 560; a layer 4(H² + H) + (HF + F) + (FH + H) + 4H = 872;
     * the classifier HC + C = 27.
     */
    @Test
    void testParameterCountByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, TINY), manager, 4,
                    CLASSES);
            assertThat(TestingTextModels.parameterCount(block)).isEqualTo(560 + 2 * 872 + 27);
        }
    }

    @Test
    void testHuggingFaceNamesCoverEveryParameter() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, TINY + ", pooler = true");
        Block block = architecture.newBlock(new Shape(4), CLASSES);
        Map<String, FileTensor> names = architecture.getParameterNames("huggingface", block);
        assertThat(names.keySet()).containsExactlyElementsOf(block.getParameters().keys());
        assertThat(names.values()).extracting(FileTensor::name).doesNotHaveDuplicates().contains(
                "embeddings.word_embeddings.weight", "embeddings.LayerNorm.bias",
                "encoder.layer.1.attention.self.query.weight", "encoder.layer.1.attention.output.LayerNorm.weight",
                "encoder.layer.0.intermediate.dense.bias", "encoder.layer.1.output.dense.weight",
                "pooler.dense.weight", "classifier.bias");
        assertThat(architecture.getParameterNames("torchvision", block)).isEmpty();
    }

    /**
     * A BertForSequenceClassification checkpoint (encoder under {@code bert.}, pre-training heads
     * to ignore) loads with {@code weights { file }} alone plus {@code ignore}: every parameter
     * takes the file's values.
     */
    @Test
    void testHuggingFaceSafetensorsLoad(@TempDir Path directory) {
        String settings = TINY + ", pooler = true";
        try (NDManager manager = NDManager.newBaseManager()) {
            Architecture source = context.create(ComponentKind.ARCHITECTURE, settings);
            Block trained = TestingTextModels.initialised(source, manager, 4, CLASSES);
            Map<String, FileTensor> names = source.getParameterNames("huggingface", trained);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Pair<String, Parameter> pair : trained.getParameters()) {
                String name = names.get(pair.getKey()).name();
                tensors.put(name.startsWith("classifier") ? name : "bert." + name, pair.getValue().getArray());
            }
            tensors.put("cls.predictions.bias", manager.zeros(new Shape(50)));
            Path file = directory.resolve("model.safetensors");
            TestingTextModels.writeSafetensors(file, tensors, false);

            Architecture loading = context.create(ComponentKind.ARCHITECTURE, String.format(
                    "%s, weights { file = \"%s\", ignore = [\"cls.*\"] }", settings, file));
            Block loaded = TestingTextModels.initialised(loading, manager, 4, CLASSES);
            List<Parameter> expected = trained.getParameters().values();
            List<Pair<String, Parameter>> actual = loaded.getParameters().stream().toList();
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).getValue().getArray().toFloatArray()).as(actual.get(i).getKey())
                        .containsExactly(expected.get(i).getArray().toFloatArray());
            }
            Architecture strict = context.create(ComponentKind.ARCHITECTURE, String.format(
                    "%s, weights { file = \"%s\" }", settings, file));
            assertThatThrownBy(() -> TestingTextModels.initialised(strict, manager, 4, CLASSES))
                    .hasMessageContaining("'cls.predictions.bias'").hasMessageContaining("weights.ignore");
        }
    }
}
