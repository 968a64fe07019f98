package org.fadkd.nlp.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.api.TaskFactory;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * Task language-modelling on hand-built batches with a vocabulary of two ids. The logits of a
 * scored position are built to give its target a chosen NLL {@code n}: the target's logit is 0 and
 * the other's {@code ln(e^n − 1)}, so that {@code −ln softmax = ln(1 + e^n − 1) = n}. Positions that
 * must not count (the last one, those whose target is padding, padding itself) get logits that
 * would add a large NLL whatever they were scored against.
 */
final class TestLanguageModellingTask {
    private static final double TOLERANCE = 1e-7;
    private static final FadPlugin PLUGIN = new FadPlugin() {
        @Override
        public List<TaskFactory> getTaskFactories() {
            return List.of(new LanguageModellingTaskFactory());
        }
    };
    /** Logits of a position that is not scored: far from anything a scored position would give. */
    private static final double[] IGNORED = {25.0, -30.0};

    /** The logits (of two ids) that give {@code target} the negative log-likelihood {@code nll}. */
    private static double[] giving(double nll, int target) {
        double[] logits = new double[2];
        logits[1 - target] = Math.log(Math.expm1(nll));
        return logits;
    }

    /**
     * One sequence, ids 1 0 1 1, no padding: position t is scored against id t + 1, with NLLs 2.0,
     * 1.5, 3.0; the last position predicts nothing.
     */
    private static NDArray firstLogits(NDManager manager) {
        return logits(manager, new double[][][] {{giving(2.0, 0), giving(1.5, 1), giving(3.0, 1), IGNORED}});
    }

    private static NDList firstLabels(NDManager manager) {
        return labels(manager, new long[][] {{1, 0, 1, 1}}, new long[][] {{1, 1, 1, 1}});
    }

    /**
     * Two padded sequences: 0 1 [pad] (one target, id 1, NLL 0.5; position 1's target is padding)
     * and 1 [pad] [pad] (no target at all). The pad id is 0.
     */
    private static NDArray secondLogits(NDManager manager) {
        return logits(manager, new double[][][] {
            {giving(0.5, 1), IGNORED, IGNORED},
            {IGNORED, IGNORED, IGNORED}});
    }

    private static NDList secondLabels(NDManager manager) {
        return labels(manager, new long[][] {{0, 1, 0}, {1, 0, 0}}, new long[][] {{1, 1, 0}, {1, 0, 0}});
    }

    @Test
    void testPerplexityIsTokenWeightedOverTheWholeSet() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = language-modelling");
            NDManager manager = context.getManager();
            TaskEvaluator evaluator = task.newEvaluator();
            assertThat(evaluator.getResults().values()).allMatch(value -> value.isNaN());

            evaluator.update(firstLogits(manager), firstLabels(manager));
            evaluator.update(secondLogits(manager), secondLabels(manager));

            // fad-spec §12: NLLs 2.0, 1.5, 3.0, 0.5 give exp(7 / 4); a mean of the two batches' own
            // means would give exp((6.5 / 3 + 0.5) / 2) = 3.79
            Map<String, Double> results = evaluator.getResults();
            assertThat(results).containsOnlyKeys("perplexity", "nll", "inverse_perplexity");
            assertThat(results.get("perplexity")).isCloseTo(5.754602676, withinPercentage(1e-8));
            assertThat(results.get("nll")).isCloseTo(1.75, withinPercentage(TOLERANCE));
            assertThat(results.get("inverse_perplexity")).isCloseTo(1 / 5.754602676, withinPercentage(1e-8));
            assertThat(task.getPrimaryMetric()).isEqualTo("inverse_perplexity");
        }
    }

    @Test
    void testLossScoresEachPositionAgainstTheNextTokenAndSkipsPadding() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            Task task = context.create(ComponentKind.TASK, "type = language-modelling");
            NDManager manager = context.getManager();

            assertThat(task.loss(firstLogits(manager), firstLabels(manager)).getDouble())
                    .isCloseTo((2.0 + 1.5 + 3.0) / 3, withinPercentage(TOLERANCE));
            // one target token in the batch: its NLL, not a mean over two sequences or six positions
            assertThat(task.loss(secondLogits(manager), secondLabels(manager)).getDouble())
                    .isCloseTo(0.5, withinPercentage(TOLERANCE));
            // the ids under padding do not matter either
            NDList otherPadding = labels(manager, new long[][] {{0, 1, 1}, {1, 1, 0}}, new long[][] {{1, 1, 0}, {1, 0, 0}});
            assertThat(task.loss(secondLogits(manager), otherPadding).getDouble())
                    .isCloseTo(0.5, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testNoGradientReachesPositionsWithoutATarget() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = secondLogits(manager);
            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(new LanguageModellingTask().loss(logits, secondLabels(manager)));
            }
            NDArray gradient = logits.getGradient();
            assertThat(gradient.get(new NDIndex("0, 0")).abs().max().getDouble()).isGreaterThan(0.0);
            assertThat(gradient.get(new NDIndex("0, 1:")).abs().max().getDouble()).isEqualTo(0.0);
            assertThat(gradient.get(new NDIndex("1")).abs().max().getDouble()).isEqualTo(0.0);
        }
    }

    @Test
    void testClassifierOutputsAndClassLabelsAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Task task = new LanguageModellingTask();
            assertThatThrownBy(() -> task.loss(manager.zeros(new Shape(2, 5)), new NDList(manager.create(new long[2]))))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                    .hasMessageContaining("needs next-token logits of shape (B, L, V) with L >= 2, got (2, 5)");
            assertThatThrownBy(() -> task.loss(manager.zeros(new Shape(2, 3, 5)), new NDList(manager.create(new long[2]))))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("needs labels (ids (2, 3), mask (2, 3)) for logits (2, 3, 5), got [(2)]");
        }
    }

    @Test
    void testUnknownKeyIsRejected() {
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThatThrownBy(() -> context.create(ComponentKind.TASK, "type = language-modelling, primary-metric = nll"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("is not used by task 'language-modelling'");
        }
    }

    private static NDArray logits(NDManager manager, double[][][] values) {
        int batch = values.length;
        int length = values[0].length;
        int vocabulary = values[0][0].length;
        double[] flat = new double[batch * length * vocabulary];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                System.arraycopy(values[b][t], 0, flat, (b * length + t) * vocabulary, vocabulary);
            }
        }
        return manager.create(flat, new Shape(batch, length, vocabulary));
    }

    private static NDList labels(NDManager manager, long[][] ids, long[][] mask) {
        return new NDList(matrix(manager, ids), matrix(manager, mask));
    }

    private static NDArray matrix(NDManager manager, long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int row = 0; row < rows.length; row++) {
            System.arraycopy(rows[row], 0, flat, row * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }
}
