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
import org.fadkd.api.FileTensor;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.NlpPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture {@code gpt} on a tiny configuration: causality, padding, counts and GPT-2's names. */
final class TestGptArchitecture {
    /** P 16, H 8, 2 heads, F 32, 2 blocks; the vocabulary is the task's. */
    private static final String TINY = "type = gpt, layers = 2, hidden = 8, heads = 2, ffn = 32, max-positions = 16";
    private static final int VOCABULARY = 10;

    private final TestingFadContext context = TestingFadContext.of(new NlpPlugin());

    @Test
    void testDefaultsAreGpt2Small() {
        Architecture architecture = context.create(ComponentKind.ARCHITECTURE, "type = gpt");
        assertThat(architecture.getTapNames()).hasSize(13).startsWith("embeddings", "block1").endsWith("block12");
        assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.NONE);
        assertThat(GptSettings.from(new GptArchitectureFactory().getDefaults())).isEqualTo(
                new GptSettings(0, 12, 768, 12, 3072, 1024, 1e-5, 0.1, 0.1, true));
        assertThatThrownBy(() -> context.create(ComponentKind.ARCHITECTURE, "type = gpt, vocab-size = 50257")
                .newBlock(new Shape(8), 30522))
                .hasMessageContaining("vocabulary of 50257 tokens").hasMessageContaining("the task predicts 30522");
    }

    /** The logits and every tap at position t do not change when later tokens change. */
    @Test
    void testPositionsDoNotSeeLaterTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, TINY), manager, 6,
                    VOCABULARY);
            long[][] mask = {{1, 1, 1, 1, 1, 1}};
            NDList first = TestingTextModels.forward(block, manager, new long[][] {{1, 2, 3, 4, 5, 6}}, mask);
            NDList changed = TestingTextModels.forward(block, manager, new long[][] {{1, 2, 3, 9, 0, 7}}, mask);
            assertThat(first.getShapes()).containsExactly(new Shape(1, 6, VOCABULARY), new Shape(1, 6, 8),
                    new Shape(1, 6, 8), new Shape(1, 6, 8));
            for (int output = 0; output < first.size(); output++) {
                assertThat(TestingTextModels.positions(changed.get(output), 0, 3))
                        .containsExactly(TestingTextModels.positions(first.get(output), 0, 3), within(1e-6f));
            }
            // the test can fail: position 3 itself sees the change
            assertThat(TestingTextModels.positions(changed.get(0), 0, 4))
                    .isNotEqualTo(TestingTextModels.positions(first.get(0), 0, 4));
        }
    }

    /** Left padding: what the padded positions hold changes nothing at the tokens. */
    @Test
    void testPaddingIsMaskedOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, TINY), manager, 5,
                    VOCABULARY);
            long[][] mask = {{0, 0, 1, 1, 1}};
            NDList padded = TestingTextModels.forward(block, manager, new long[][] {{0, 0, 4, 5, 6}}, mask);
            NDList otherPadding = TestingTextModels.forward(block, manager, new long[][] {{8, 3, 4, 5, 6}}, mask);
            NDList unmasked = TestingTextModels.forward(block, manager, new long[][] {{8, 3, 4, 5, 6}},
                    new long[][] {{1, 1, 1, 1, 1}});
            for (int output = 0; output < padded.size(); output++) {
                assertThat(tokens(otherPadding.get(output))).containsExactly(tokens(padded.get(output)), within(1e-6f));
            }
            assertThat(tokens(unmasked.get(0))).isNotEqualTo(tokens(padded.get(0)));
        }
    }

    private static float[] tokens(NDArray output) {
        return output.get(0).get("2:").toFloatArray();
    }

    /** GPT-2's gelu_new at a few points: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    @Test
    void testGeluTanhApproximation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] x = {-3f, -1f, 0f, 0.5f, 1f, 2f};
            float[] gelu = GptBlock.geluTanh(manager.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                double expected = 0.5 * x[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * Math.pow(x[i], 3))));
                assertThat(gelu[i]).isCloseTo((float) expected, within(1e-6f));
            }
            assertThat(gelu[4]).isCloseTo(0.841192f, within(1e-6f));
        }
    }

    /**
     * fad-spec §13 by hand, L = 4, H = 8, F = 32: a block's c_attn L·H·3H = 768, c_proj L·H² = 256,
     * MLP 2·L·H·F = 2048 and attention 2·L²·H = 256, so 3328 as the spec's example block; two
     * blocks and the head's L·H·V = 320 make 6976, tied or not.
     */
    @Test
    void testMultiplyAccumulatesCountedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String tie : List.of("true", "false")) {
                Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE,
                        TINY + ", tie-embeddings = " + tie), manager, 4, VOCABULARY);
                assertThat(MacCounter.count(block, new Shape(4))).as("tied %s", tie).isEqualTo(6976);
            }
        }
    }

    /**
     * Embeddings (V + P)·H = 208; a block 2·2H + (3H² + 3H) + (H² + H) + (HF + F) + (FH + H) = 872;
     * ln_f 2H = 16; an untied head VH = 80 more.
     */
    @Test
    void testParameterCountByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block tied = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, TINY), manager, 4,
                    VOCABULARY);
            assertThat(TestingTextModels.parameterCount(tied)).isEqualTo(208 + 2 * 872 + 16);
            Block untied = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE,
                    TINY + ", tie-embeddings = false"), manager, 4, VOCABULARY);
            assertThat(TestingTextModels.parameterCount(untied)).isEqualTo(208 + 2 * 872 + 16 + 80);
        }
    }

    /**
     * A GPT2LMHeadModel checkpoint in bfloat16 (decoder under {@code transformer.}, an untied
     * {@code lm_head.weight}, the causal-mask buffers of older files ignored) loads with Conv1D's
     * (in, out) weights as they are, widened to float32.
     */
    @Test
    void testHuggingFaceSafetensorsLoad(@TempDir Path directory) {
        String settings = TINY + ", tie-embeddings = false";
        try (NDManager manager = NDManager.newBaseManager()) {
            Architecture source = context.create(ComponentKind.ARCHITECTURE, settings);
            Block trained = TestingTextModels.initialised(source, manager, 4, VOCABULARY);
            Map<String, FileTensor> names = source.getParameterNames("huggingface", trained);
            assertThat(names.keySet()).containsExactlyElementsOf(trained.getParameters().keys());
            assertThat(names.values()).extracting(FileTensor::name).doesNotHaveDuplicates().contains("wte.weight",
                    "wpe.weight", "h.0.ln_1.weight", "h.1.attn.c_attn.weight", "h.1.attn.c_proj.bias",
                    "h.0.mlp.c_fc.weight", "h.0.mlp.c_proj.weight", "ln_f.bias", "lm_head.weight");
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Pair<String, Parameter> pair : trained.getParameters()) {
                String name = names.get(pair.getKey()).name();
                tensors.put(name.equals("lm_head.weight") ? name : "transformer." + name, pair.getValue().getArray());
            }
            assertThat(tensors.get("transformer.h.0.attn.c_attn.weight").getShape()).isEqualTo(new Shape(8, 24));
            tensors.put("transformer.h.0.attn.bias", manager.ones(new Shape(1, 1, 16, 16)));
            tensors.put("transformer.h.1.attn.bias", manager.ones(new Shape(1, 1, 16, 16)));
            Path file = directory.resolve("model.safetensors");
            TestingTextModels.writeSafetensors(file, tensors, true);

            Block loaded = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, String.format(
                    "%s, weights { file = \"%s\", ignore = [\"*.attn.bias\"] }", settings, file)), manager, 4,
                    VOCABULARY);
            List<Parameter> expected = trained.getParameters().values();
            List<Pair<String, Parameter>> actual = loaded.getParameters().stream().toList();
            for (int i = 0; i < expected.size(); i++) {
                float[] values = expected.get(i).getArray().toFloatArray();
                for (int k = 0; k < values.length; k++) {
                    values[k] = TestingTextModels.bfloat16(values[k]);
                }
                assertThat(actual.get(i).getValue().getArray().toFloatArray()).as(actual.get(i).getKey())
                        .containsExactly(values);
            }
        }
    }
}
