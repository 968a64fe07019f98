package org.fadkd.nlp.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.nlp.NlpPlugin;
import org.junit.jupiter.api.Test;

/**
 * Training passes: gradients reach the embeddings through every layer, finite, and a word that
 * only stands in padding gets none (the mask cuts it off from the output).
 */
final class TestTextModelGradients {
    private static final String BERT = "type = bert, vocab-size = 20, layers = 2, hidden = 8, heads = 2, ffn = 16,"
            + " max-positions = 8, dropout = 0, attention-dropout = 0";
    private static final String GPT = "type = gpt, layers = 2, hidden = 8, heads = 2, ffn = 16, max-positions = 8,"
            + " dropout = 0, attention-dropout = 0, tie-embeddings = false";
    /** Word 19 appears only where the mask is 0. */
    private static final long[][] IDS = {{1, 5, 6, 2, 19, 19}, {1, 7, 2, 19, 19, 19}};
    private static final long[][] MASK = {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 0, 0, 0}};

    private final TestingFadContext context = TestingFadContext.of(new NlpPlugin());

    @Test
    void testBertGradients() {
        assertGradients(BERT, 3);
    }

    /**
     * Right padding: GPT's later padding reaches no token's logits. Untied, since a tied head's
     * logits for word 19 read its embedding row at every position.
     */
    @Test
    void testGptGradients() {
        assertGradients(GPT, 20);
    }

    private void assertGradients(String section, int outputs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingTextModels.initialised(context.create(ComponentKind.ARCHITECTURE, section), manager,
                    IDS[0].length, outputs);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList result = block.forward(new ParameterStore(manager, false),
                        new NDList(manager.create(IDS), manager.create(MASK)), true);
                NDArray logits = result.get(0);
                // only the non-padding positions' logits count, as the tasks' losses do
                NDArray loss = outputs == 3 ? logits.square().sum()
                        : logits.square().sum(new int[] {2}).mul(manager.create(MASK).toType(logits.getDataType(), false))
                                .sum();
                collector.backward(loss);
            }
            NDArray word = block.getParameters().get(0).getValue().getArray().getGradient();
            assertThat(word.isInfinite().any().getBoolean() || word.isNaN().any().getBoolean()).isFalse();
            assertThat(word.get(5).abs().sum().getFloat()).isPositive();
            assertThat(word.get(2).abs().sum().getFloat()).isPositive();
            assertThat(word.get(19).abs().sum().getFloat()).isZero();
        }
    }
}
