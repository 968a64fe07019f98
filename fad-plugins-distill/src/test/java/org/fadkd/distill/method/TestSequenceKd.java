package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/**
 * kd between language models (fad-spec §12): T²·KL per position, averaged over the positions the
 * labels' mask marks as tokens. The expected values are the formula evaluated position by position
 * in double precision (numpy: log-softmax of z/T, Σ_v p_T (ln p_T − ln p_S), masked mean, times T²).
 */
final class TestSequenceKd {
    private static final double TOLERANCE = 1e-7;

    /** B = 2, L = 2, V = 3; position (1, 1) is padding. */
    private static final double[][][] STUDENT = {
        {{1.0, 0.0, -1.0}, {0.5, 2.0, 0.0}},
        {{0.0, 0.0, 3.0}, {9.0, -9.0, 4.0}}};
    private static final double[][][] TEACHER = {
        {{2.0, -1.0, 0.0}, {0.0, 1.0, 1.0}},
        {{1.0, -2.0, 0.5}, {-9.0, 9.0, 0.0}}};
    private static final long[][] MASK = {{1, 1}, {1, 0}};

    /**
     * T = 1: the three token positions' KLs are 0.15373981, 0.36667971 and 1.21847663 (the padding
     * position's would be 18.00387672); their mean over N = 3 positions, not over B = 2 sequences.
     */
    private static final double T1 = 0.5796320511420104;

    /** T = 2: T²·(0.0756565 + 0.09370503 + 0.32688934)/3. */
    private static final double T2 = 0.6616678399728223;

    @Test
    void testMeanOverTokenPositionsByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList labels = labels(manager, MASK);
            assertThat(SequenceKd.divergence(logits(manager, STUDENT), logits(manager, TEACHER), labels, 1, "kd")
                    .getDouble()).isCloseTo(T1, withinPercentage(TOLERANCE));
            assertThat(SequenceKd.divergence(logits(manager, STUDENT), logits(manager, TEACHER), labels, 2, "kd")
                    .getDouble()).isCloseTo(T2, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testEqualLogitsGiveZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray divergence = SequenceKd.divergence(
                    logits(manager, TEACHER), logits(manager, TEACHER), labels(manager, MASK), 3, "kd");
            assertThat(divergence.getDouble()).isCloseTo(0.0, within(1e-15));
        }
    }

    @Test
    void testPaddingPositionsAreIgnored() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] otherPadding = copy(STUDENT);
            otherPadding[1][1] = new double[] {-40.0, 25.0, 7.0};
            NDArray student = logits(manager, otherPadding);
            student.setRequiresGradient(true);
            NDArray divergence;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                divergence = SequenceKd.divergence(student, logits(manager, TEACHER), labels(manager, MASK), 1, "kd");
                collector.backward(divergence);
            }
            assertThat(divergence.getDouble()).isCloseTo(T1, withinPercentage(TOLERANCE));
            NDArray gradient = student.getGradient();
            assertThat(gradient.get(new NDIndex("1, 1")).abs().max().getDouble()).isEqualTo(0.0);
            assertThat(gradient.get(new NDIndex("0, 0")).abs().max().getDouble()).isGreaterThan(0.0);
        }
    }

    @Test
    void testVocabularyMismatchNamesBothSizes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.zeros(new Shape(2, 2, 3));
            NDArray teacher = manager.zeros(new Shape(2, 2, 5));
            assertThatThrownBy(() -> SequenceKd.divergence(student, teacher, labels(manager, MASK), 1, "kd"))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                    .hasMessageContaining("the teacher gives '5' token ids")
                    .hasMessageContaining("the student '3'")
                    .hasMessageContaining("share the tokenizer and vocabulary");
        }
    }

    @Test
    void testLabelsWithoutAMaskAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = logits(manager, STUDENT);
            NDList classLabels = new NDList(manager.create(new long[] {0, 1}));
            assertThatThrownBy(() -> SequenceKd.divergence(student, logits(manager, TEACHER), classLabels, 1, "kd"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("needs the position mask (2, 2)")
                    .hasMessageContaining("got labels [(2)]");
            // the two-argument form, which feature methods call, has no labels to read a mask from
            assertThatThrownBy(() -> KdLoss.divergence(student, logits(manager, TEACHER), 1, "at"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'at' cannot distil per-position logits (2, 2, 3)");
        }
    }

    /** Method kd dispatches (B, L, V) outputs to the per-position form, with the mask of its labels. */
    @Test
    void testKdMethodDistilsPerPosition() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd, temperature = 2, alpha = 0.5");
            DistillationBatch batch = new DistillationBatch(manager, logits(manager, STUDENT), new NDList(), null,
                    logits(manager, TEACHER), new NDList(), null, labels(manager, MASK),
                    manager.create(0.25), null, new TrainingProgress(1, 1, 0), new ParameterStore(manager, false));

            assertThat(kd.distillationTerm(batch).getDouble()).isCloseTo(T2, withinPercentage(TOLERANCE));
            assertThat(kd.compute(batch).total().getDouble())
                    .isCloseTo(0.5 * 0.25 + 0.5 * T2, withinPercentage(TOLERANCE));
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

    /** Language modelling's labels: (ids, mask); the ids play no part in kd. */
    private static NDList labels(NDManager manager, long[][] mask) {
        int batch = mask.length;
        int length = mask[0].length;
        long[] flat = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(mask[b], 0, flat, b * length, length);
        }
        Shape shape = new Shape(batch, length);
        return new NDList(manager.zeros(shape, DataType.INT64), manager.create(flat, shape));
    }

    private static double[][][] copy(double[][][] values) {
        double[][][] copy = new double[values.length][][];
        for (int b = 0; b < values.length; b++) {
            copy[b] = new double[values[b].length][];
            for (int t = 0; t < values[b].length; t++) {
                copy[b][t] = values[b][t].clone();
            }
        }
        return copy;
    }
}
