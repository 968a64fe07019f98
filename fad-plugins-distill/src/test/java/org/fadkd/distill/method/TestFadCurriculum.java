package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.CurriculumSchedule.Position;
import org.fadkd.distill.method.FadSettings.Curriculum;
import org.fadkd.distill.method.FadSettings.CurriculumWindows;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/** The curriculum over depth (fad-spec §8). */
final class TestFadCurriculum {
    /** 1e-9 relative, as a percentage. */
    private static final double TOLERANCE = 1e-7;
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double[] STUDENT = {0.7, 0.3, 0.5};
    private static final double[] WEIGHTED_SUM = {0.007517952883, 0.001959224611, 0.0200350229, 0.007486204719};
    private static final double[] INTEGRATED = {0.002071982677, 0.006823152156, 0.007337743929, 0.003907772463};

    @Test
    void testExample81() {
        List<List<Integer>> points = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            points.add(inside(CurriculumSchedule.window(k, 4, 5, CurriculumWindows.HALF_OPEN)));
        }
        assertThat(points).containsExactly(List.of(0), List.of(1), List.of(2), List.of(3, 4));
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            // 9 epochs = 4 stages of one epoch + 5 of fine-tuning: epoch k is stage k
            String curriculum = "curriculum.enabled = true";
            FadLoss weightedSum = TestFadSelective.example(context, "form = weighted-sum, " + curriculum);
            FadLoss integrated = TestFadSelective.example(context, curriculum);
            double unmaskedWeightedSum = 0;
            double unmaskedIntegrated = 0;
            for (int k = 1; k <= 4; k++) {
                TrainingProgress progress = new TrainingProgress(k, 9, 10L * k);
                FadLoss.FlowStep step = weightedSum.flowStep(progress, manager.create(TEACHER), manager.create(STUDENT));
                assertThat(step.loss().getDouble()).as("stage %d", k).isCloseTo(WEIGHTED_SUM[k - 1], withinPercentage(TOLERANCE));
                assertThat(step.position()).isEqualTo(new Position(k, 1, false, k / 4.0));
                assertThat(integrated.flowStep(progress, manager.create(TEACHER), manager.create(STUDENT)).loss().getDouble())
                        .as("stage %d", k).isCloseTo(INTEGRATED[k - 1], withinPercentage(TOLERANCE));
                unmaskedWeightedSum += WEIGHTED_SUM[k - 1];
                unmaskedIntegrated += INTEGRATED[k - 1];
            }
            // Half-open windows split the loss: the stages add up to the unmasked L_FAD of Example 5.1.
            assertThat(unmaskedWeightedSum).isCloseTo(0.03699840512, withinPercentage(1e-6));
            assertThat(unmaskedIntegrated).isCloseTo(0.02014065122, withinPercentage(1e-6));
            // Fine-tuning: the full mask and γ_0.
            FadLoss.FlowStep fineTuning = weightedSum.flowStep(
                    new TrainingProgress(5, 9, 50), manager.create(TEACHER), manager.create(STUDENT));
            assertThat(fineTuning.position()).isEqualTo(new Position(5, 1, true, 1.0));
            assertThat(fineTuning.loss().getDouble()).isCloseTo(0.03699840512, withinPercentage(TOLERANCE));
            assertThat(weightedSum.getFadState().fineTuning()).isTrue();
            assertThat(weightedSum.getFadState().stage()).isEqualTo(5);
        }
    }

    @Test
    void testClosedWindowsShareTheirBoundaries() {
        List<List<Integer>> points = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            points.add(inside(CurriculumSchedule.window(k, 4, 5, CurriculumWindows.CLOSED)));
        }
        assertThat(points).containsExactly(List.of(0, 1), List.of(1, 2), List.of(2, 3), List.of(3, 4));
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss closed = TestFadSelective.example(context,
                    "form = weighted-sum, curriculum-windows = closed, curriculum.enabled = true");
            // Per depth, w_j·a_j is the half-open stage value for j = 0, 1, 2, and stage 4's for j = 3
            // (a_4 = 0): stage k < 4 adds the next depth's term to its own.
            for (int k = 1; k <= 4; k++) {
                double expected = WEIGHTED_SUM[k - 1] + (k < 4 ? WEIGHTED_SUM[k] : 0);
                assertThat(closed.flowStep(new TrainingProgress(k, 9, k), manager.create(TEACHER),
                        manager.create(STUDENT)).loss().getDouble())
                        .as("stage %d", k).isCloseTo(expected, withinPercentage(TOLERANCE));
            }
        }
    }

    @Test
    void testWindowWithoutGridPointTrainsNothing() {
        // M = 2 depths (0 and 1) over K = 4 stages: stages 2 and 3 hold none (a warning is logged once).
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = TestFadSelective.create(context, "form = weighted-sum, curriculum.enabled = true",
                    TestingBatches.layout(3), TestingBatches.layout(3));
            double[] teacher = {0.9, 0.4};
            double[] student = {0.7, 0.3};
            double[] losses = new double[4];
            for (int k = 1; k <= 4; k++) {
                losses[k - 1] = fad.flowStep(new TrainingProgress(k, 9, k), manager.create(teacher),
                        manager.create(student)).loss().getDouble();
            }
            assertThat(losses[0]).isPositive();
            assertThat(losses[1]).isZero();
            assertThat(losses[2]).isZero();
            assertThat(losses[3]).isPositive();
        }
    }

    @Test
    void testEpochsPerStage() {
        Curriculum auto = new Curriculum(true, 4, 2.0, Curriculum.AUTO, 5);
        // E = 23: ⌊(23 − 5)/4⌋ = 4 epochs per stage, 7 of fine-tuning
        assertThat(CurriculumSchedule.epochsPerStage(auto, 23)).isEqualTo(4);
        assertThat(CurriculumSchedule.epochsPerStage(auto, 9)).isEqualTo(1);
        assertThat(position(auto, 1, 23)).isEqualTo(new Position(1, 1, false, 0.5));
        assertThat(position(auto, 4, 23)).isEqualTo(new Position(1, 4, false, 0.5));
        assertThat(position(auto, 5, 23)).isEqualTo(new Position(2, 1, false, 1.0));
        assertThat(position(auto, 16, 23)).isEqualTo(new Position(4, 4, false, 2.0));
        assertThat(position(auto, 17, 23)).isEqualTo(new Position(5, 1, true, 2.0));
        assertThat(position(auto, 23, 23)).isEqualTo(new Position(5, 7, true, 2.0));

        Curriculum explicit = new Curriculum(true, 4, 1.0, 2, 5);
        assertThat(position(explicit, 8, 20)).isEqualTo(new Position(4, 2, false, 1.0));
        assertThat(position(explicit, 9, 20)).isEqualTo(new Position(5, 1, true, 1.0));
        assertThat(position(explicit, 20, 20)).isEqualTo(new Position(5, 12, true, 1.0));

        Curriculum noFineTuning = new Curriculum(true, 3, 1.0, Curriculum.AUTO, 0);
        // E = 4, K = 3, F = 0: one epoch per stage, and the left-over epoch goes to fine-tuning
        assertThat(position(noFineTuning, 3, 4)).isEqualTo(new Position(3, 1, false, 1.0));
        assertThat(position(noFineTuning, 4, 4)).isEqualTo(new Position(4, 1, true, 1.0));
        assertThat(position(Curriculum.DEFAULTS, 1, 1)).isEqualTo(CurriculumSchedule.OFF);
    }

    @Test
    void testTooFewEpochsFailOnTheFirstBatch() {
        assertThatThrownBy(() -> CurriculumSchedule.epochsPerStage(new Curriculum(true, 4, 1, Curriculum.AUTO, 5), 8))
                .isInstanceOf(FadException.class)
                .hasMessage("The curriculum of method 'fad' needs at least curriculum.stages + curriculum.fine-tune-epochs"
                        + " = 4 + 5 = 9 epochs, but the trainer runs '8' (trainer.epochs). Lower curriculum.stages or"
                        + " curriculum.fine-tune-epochs, or raise trainer.epochs.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(() -> CurriculumSchedule.epochsPerStage(new Curriculum(true, 4, 1, 3, 5), 16))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("curriculum.stages × curriculum.epochs-per-stage + curriculum.fine-tune-epochs"
                        + " = 4 × 3 + 5 = 17 epochs, but the trainer runs '16'");
        // F larger than E
        assertThatThrownBy(() -> CurriculumSchedule.epochsPerStage(new Curriculum(true, 4, 1, Curriculum.AUTO, 5), 3))
                .hasMessageContaining("runs '3'");

        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, curriculum.enabled = true");
            NDList teacherTaps = TestingBatches.randomTaps(manager, 4, 16, 6);
            NDList studentTaps = TestingBatches.randomTaps(manager, 4, 16, 4);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            NDArray logits = manager.randomNormal(new Shape(16, 3));
            DistillationBatch batch = TestingBatches.batch(manager, logits, logits, studentTaps, teacherTaps,
                    manager.zeros(new Shape(16), DataType.INT64), new TrainingProgress(1, 6, 0));
            assertThatThrownBy(() -> fad.compute(batch))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("curriculum.stages")
                    .hasMessageContaining("curriculum.fine-tune-epochs")
                    .hasMessageContaining("trainer runs '6' (trainer.epochs)");
        }
    }

    @Test
    void testStageAndFactorInTheTerms() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            manager.getEngine().setRandomSeed(11);
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, weighting = fixed,"
                    + " fixed-weights { task = 1, kd = 1, flow = 2 }, curriculum { enabled = true, gamma0 = 3 }");
            NDList teacherTaps = TestingBatches.randomTaps(manager, 6, 16, 6);
            NDList studentTaps = TestingBatches.randomTaps(manager, 4, 16, 4);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            NDArray logits = manager.randomNormal(new Shape(16, 3));
            NDArray labels = manager.zeros(new Shape(16), DataType.INT64);
            // E = 13, K = 4, F = 5: two epochs per stage
            double[] expectedStage = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5, 5};
            double fullLoss = 0;
            double stageSum = 0;
            for (int epoch = 1; epoch <= 13; epoch++) {
                LossValue value = fad.compute(TestingBatches.batch(manager, logits, logits, studentTaps, teacherTaps,
                        labels, new TrainingProgress(epoch, 13, epoch - 1)));
                double stage = value.terms().get("stage").getDouble();
                assertThat(stage).as("epoch %d", epoch).isEqualTo(expectedStage[epoch - 1]);
                double factor = stage == 5 ? 3 : 3 * stage / 4;
                assertThat(value.terms().get("gamma").getDouble()).isCloseTo(2 * factor, within(1e-12));
                assertThat(value.terms().get("selected_depths").getDouble()).isEqualTo(5.0);
                double flow = value.terms().get("L_fad").getDouble();
                if (stage == 5) {
                    fullLoss = flow;
                } else if (epoch % 2 == 1) {
                    stageSum += flow;
                }
                double expectedTotal = value.terms().get("L_task").getFloat() + value.terms().get("L_kd").getFloat()
                        + 2 * factor * flow;
                assertThat((double) value.total().getFloat()).isCloseTo(expectedTotal, withinPercentage(1e-4));
            }
            assertThat(stageSum).isCloseTo(fullLoss, withinPercentage(1e-6));
        }
    }

    private static Position position(Curriculum curriculum, int epoch, int epochs) {
        return CurriculumSchedule.position(curriculum, new TrainingProgress(epoch, epochs, 0));
    }

    private static List<Integer> inside(boolean[] window) {
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < window.length; i++) {
            if (window[i]) {
                points.add(i);
            }
        }
        return points;
    }
}
