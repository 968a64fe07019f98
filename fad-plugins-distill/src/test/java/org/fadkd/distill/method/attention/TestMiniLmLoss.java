package org.fadkd.distill.method.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.attention.MiniLmSettings.Heads;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** MiniLM's self-attention distillation, on hand-computed float64 cases. */
final class TestMiniLmLoss {
    /** Relative tolerance of the hand-computed values, in percent (1e-9 relative). */
    private static final double EXACT = 1e-7;

    /** One head, two tokens: the teacher's and the student's rows for queries 0 and 1. */
    private static final double[] TEACHER = {0.5, 0.5, 0.25, 0.75};
    private static final double[] STUDENT = {0.75, 0.25, 0.5, 0.5};
    /**
     * (KL([.5, .5] ‖ [.75, .25]) + KL([.25, .75] ‖ [.5, .5])) / 2 = (0.1438410362 + 0.1308120359) / 2,
     * each KL = Σ_j p_j ln(p_j / q_j).
     */
    private static final double ONE_HEAD_KL = 0.1373265360835137;

    @Test
    void testEqualDistributionsGiveZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray attention = manager.randomNormal(new Shape(3, 4, 5, 5)).toType(DataType.FLOAT64, false).softmax(-1);
            assertThat(MiniLmLoss.divergence(attention, attention, Heads.MATCH).getDouble()).isEqualTo(0.0);
            assertThat(MiniLmLoss.divergence(attention, attention, Heads.AVERAGE).getDouble()).isEqualTo(0.0);
        }
    }

    @Test
    void testOneHeadTwoTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = manager.create(TEACHER, new Shape(1, 1, 2, 2));
            NDArray student = manager.create(STUDENT, new Shape(1, 1, 2, 2));
            assertThat(MiniLmLoss.divergence(student, teacher, Heads.MATCH).getDouble())
                    .isCloseTo(ONE_HEAD_KL, withinPercentage(EXACT));
            // The teacher is the reference distribution: with query 1's rows equal, KL([.5, .5] ‖ [.75, .25])
            // / 2 = 0.0719205181; the other direction would give KL([.75, .25] ‖ [.5, .5]) / 2 = 0.0654060180.
            NDArray firstRowApart = manager.create(new double[] {0.75, 0.25, 0.25, 0.75}, new Shape(1, 1, 2, 2));
            assertThat(MiniLmLoss.divergence(firstRowApart, teacher, Heads.MATCH).getDouble())
                    .isCloseTo(0.14384103622589045 / 2, withinPercentage(EXACT));
        }
    }

    @Test
    void testPaddingQueriesAreLeftOutAndPaddingKeysAddNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Sample 0 has two tokens and one padding position (key 2 gets 0 from every query);
            // the padding query's rows (0.4, 0.6) and (0.9, 0.1) differ, but must not count.
            // Sample 1 has three tokens. N = 2 + 3 query positions.
            NDArray teacher = manager.create(new double[] {
                0.5, 0.5, 0, 0.25, 0.75, 0, 0.4, 0.6, 0,
                0.2, 0.3, 0.5, 0.6, 0.2, 0.2, 1.0 / 3, 1.0 / 3, 1.0 / 3}, new Shape(2, 1, 3, 3));
            NDArray student = manager.create(new double[] {
                0.75, 0.25, 0, 0.5, 0.5, 0, 0.9, 0.1, 0,
                0.3, 0.3, 0.4, 0.5, 0.25, 0.25, 0.1, 0.1, 0.8}, new Shape(2, 1, 3, 3));
            // (KL of sample 0's two token rows, as in the two-token case, + sample 1's three rows) / 5.
            assertThat(MiniLmLoss.divergence(student, teacher, Heads.MATCH).getDouble())
                    .isCloseTo(0.1672185927038357, withinPercentage(EXACT));

            // A batch of the padded sample alone gives the unpadded two-token value.
            assertThat(MiniLmLoss.divergence(student.get("0:1"), teacher.get("0:1"), Heads.MATCH).getDouble())
                    .isCloseTo(ONE_HEAD_KL, withinPercentage(EXACT));
        }
    }

    @Test
    void testHeadsMatchedOneToOneOrAveragedFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] secondTeacherHead = {0.9, 0.1, 0.3, 0.7};
            double[] secondStudentHead = {0.6, 0.4, 0.5, 0.5};
            NDArray teacher = manager.create(concat(TEACHER, secondTeacherHead), new Shape(1, 2, 2, 2));
            NDArray student = manager.create(concat(STUDENT, secondStudentHead), new Shape(1, 2, 2, 2));
            // (both KLs of head 0 + KL([.9, .1] ‖ [.6, .4]) + KL([.3, .7] ‖ [.5, .5])) / (2 heads · 2 queries)
            assertThat(MiniLmLoss.divergence(student, teacher, Heads.MATCH).getDouble())
                    .isCloseTo(0.14580627796435952, withinPercentage(EXACT));
            // average: the teacher's mean rows (0.7, 0.3) and (0.275, 0.725) against a 1-head student.
            NDArray oneHeadStudent = manager.create(STUDENT, new Shape(1, 1, 2, 2));
            assertThat(MiniLmLoss.divergence(oneHeadStudent, teacher, Heads.AVERAGE).getDouble())
                    .isCloseTo(0.0556899301015374, withinPercentage(EXACT));
            assertThatThrownBy(() -> MiniLmLoss.divergence(oneHeadStudent, teacher, Heads.MATCH))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("the teacher has 2 heads and the student 1")
                    .hasMessageContaining("method.heads = average");
        }
    }

    @Test
    void testGradientReachesTheStudentOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray studentScores = manager.randomNormal(new Shape(2, 2, 4, 4));
            NDArray teacherScores = manager.randomNormal(new Shape(2, 2, 4, 4));
            studentScores.setRequiresGradient(true);
            teacherScores.setRequiresGradient(true);
            MiniLmLoss minilm = prepared(manager, "heads = match, beta = 2");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray student = studentScores.softmax(-1);
                NDArray teacher = teacherScores.softmax(-1);
                NDArray term = minilm.distillationTerm(batch(manager, student, teacher));
                assertThat(term.getShape()).isEqualTo(new Shape());
                assertThat(term.getFloat()).isPositive();
                assertThat((double) term.getFloat()).isCloseTo(
                        2 * MiniLmLoss.divergence(student, teacher, Heads.MATCH).getFloat(), within(1e-5));
                collector.backward(term);
            }
            assertThat(studentScores.getGradient().abs().sum().getFloat()).isPositive();
            assertThat(teacherScores.getGradient().abs().sum().getFloat()).isZero();
        }
    }

    @Test
    void testComputeAddsTheTaskLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MiniLmLoss minilm = prepared(manager, "task-weight = 0.5");
            NDArray teacher = manager.create(TEACHER, new Shape(1, 1, 2, 2)).toType(DataType.FLOAT32, false);
            NDArray student = manager.create(STUDENT, new Shape(1, 1, 2, 2)).toType(DataType.FLOAT32, false);
            LossValue value = minilm.compute(batch(manager, student, teacher));
            // L_task is ln 3 (zero logits over three classes).
            assertThat((double) value.total().getFloat()).isCloseTo(0.5 * Math.log(3) + ONE_HEAD_KL, within(1e-6));
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_minilm");
            assertThat(minilm.getRequirements()).containsExactlyInAnyOrder(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS);
        }
    }

    @Test
    void testAModelWithoutTheAttentionTapFailsNamingTheSetting() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            MiniLmLoss minilm = (MiniLmLoss) context.create(ComponentKind.METHOD, "type = minilm");
            TapLayout withAttention = layout(List.of("embeddings", "layer1", "attention", "layer2"), 2);
            TapLayout without = new TapLayout(List.of("embeddings", "layer1", "layer2"),
                    List.of(new Shape(6, 8), new Shape(6, 8), new Shape(6, 8)));
            assertThatThrownBy(() -> minilm.prepare(TestingMethodSetups.of(context.getManager(), withAttention, without)))
                    .isInstanceOfSatisfying(FadException.class, e -> assertThat(e.getErrorCode())
                            .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                    .hasMessageContaining("The student model 'student' declares no tap 'attention'; its taps: embeddings,"
                            + " layer1, layer2.")
                    .hasMessageContaining("'student.attention-tap = true'")
                    .hasMessageNotContaining("teacher model");

            // A 12-head teacher and a 2-head student: only heads = average compares them.
            TapLayout twelveHeads = layout(List.of("embeddings", "layer1", "attention", "layer2"), 12);
            assertThatThrownBy(() -> minilm.prepare(TestingMethodSetups.of(context.getManager(), twelveHeads, withAttention)))
                    .hasMessageContaining("the teacher has 12 heads and the student 2");
            MiniLmLoss averaged = (MiniLmLoss) context.create(ComponentKind.METHOD, "type = minilm, heads = average");
            averaged.prepare(TestingMethodSetups.of(context.getManager(), twelveHeads, withAttention));

            // A hidden-state tap named as the attention tap is refused.
            MiniLmLoss hidden = (MiniLmLoss) context.create(ComponentKind.METHOD, "type = minilm, tap = layer1");
            assertThatThrownBy(() -> hidden.prepare(TestingMethodSetups.of(context.getManager(), withAttention, withAttention)))
                    .hasMessageContaining("needs attention probabilities (B, heads, L, L) in tap 'layer1'");
        }
    }

    @Test
    void testSettings() {
        MiniLmFactory factory = new MiniLmFactory();
        assertThat(MiniLmSettings.from(factory.getDefaults()))
                .isEqualTo(new MiniLmSettings("attention", Heads.MATCH, 1, 1, 0));
        assertThat(MiniLmSettings.from(ConfigFactory.parseString(
                        "tap = attn, heads = average, beta = 3, task-weight = 0.5, kd-weight = 1")))
                .isEqualTo(new MiniLmSettings("attn", Heads.AVERAGE, 3, 0.5, 1));
        assertThat(new MiniLmLoss(new MiniLmSettings("attention", Heads.MATCH, 1, 1, 1)).getRequirements())
                .contains(BatchField.TEACHER_OUTPUT);
        assertThatThrownBy(() -> MiniLmSettings.from(ConfigFactory.parseString("tap = \"\", beta = -1")
                        .withFallback(factory.getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'tap' of method 'minilm' is ''")
                .hasMessageContaining("Setting 'beta' of method 'minilm' is '-1'; it must be a number in [0, inf).")
                .hasMessageEndingWith("2 errors");
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.METHOD, "type = minilm, head = average"))
                    .hasMessageContaining("is not used by method 'minilm'");
        }
    }

    /** A prepared minilm over two 2-head attention taps of 4 tokens. */
    private static MiniLmLoss prepared(NDManager manager, String settings) {
        MiniLmLoss minilm = new MiniLmLoss(MiniLmSettings.from(
                ConfigFactory.parseString(settings).withFallback(new MiniLmFactory().getDefaults())));
        TapLayout layout = layout(List.of("layer1", "attention", "layer2"), 2);
        minilm.prepare(TestingMethodSetups.of(manager, layout, layout));
        return minilm;
    }

    /** Hidden-state taps (6 tokens of 8) and an attention tap of {@code heads} heads, as bert declares them. */
    private static TapLayout layout(List<String> names, int heads) {
        return new TapLayout(names, names.stream()
                .map(name -> name.equals("attention") ? new Shape(heads, 6, 6) : new Shape(6, 8)).toList());
    }

    /** A batch whose middle tap is the attention tap, with zero logits over 3 classes and labels 0. */
    private static DistillationBatch batch(NDManager manager, NDArray studentAttention, NDArray teacherAttention) {
        long size = studentAttention.getShape().get(0);
        NDArray logits = manager.zeros(new Shape(size, 3), studentAttention.getDataType());
        NDArray taskLoss = logits.logSoftmax(1).get(":, 0").neg().mean();
        NDList studentTaps = new NDList(manager.zeros(new Shape(size, 1)), studentAttention, manager.zeros(new Shape(size, 1)));
        NDList teacherTaps = new NDList(manager.zeros(new Shape(size, 1)), teacherAttention, manager.zeros(new Shape(size, 1)));
        return new DistillationBatch(manager, logits, studentTaps, null, null, teacherTaps, null,
                new NDList(manager.zeros(new Shape(size), DataType.INT64)), taskLoss, null,
                new TrainingProgress(1, 1, 0), new ParameterStore(manager, false));
    }

    private static double[] concat(double[] first, double[] second) {
        double[] joined = new double[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
