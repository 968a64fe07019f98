package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.FadSettings.CriticalSigma;
import org.fadkd.flow.DepthInterpolation;
import org.fadkd.flow.FlowWeights;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/** Selective alignment (fad-spec §7) and the reference switches that change it (§14.2). */
final class TestFadSelective {
    /** 1e-9 relative, as a percentage. */
    private static final double TOLERANCE = 1e-7;
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double[] STUDENT = {0.7, 0.3, 0.5};
    private static final String BATCH_STATISTICS = "selective { enabled = true, statistics = batch }";

    @Test
    void testExample71() {
        assertThat(SelectiveAlignment.mean(TEACHER)).isCloseTo(0.52, within(1e-15));
        double sigma = SelectiveAlignment.standardDeviation(TEACHER, CriticalSigma.POPULATION);
        assertThat(sigma).isCloseTo(0.2315167381, withinPercentage(TOLERANCE));
        assertThat(SelectiveAlignment.mean(TEACHER) + sigma).isCloseTo(0.7515167381, withinPercentage(TOLERANCE));
        assertThat(SelectiveAlignment.critical(TEACHER, CriticalSigma.POPULATION))
                .containsExactly(true, false, false, false, false);
        double[] resampled = DepthInterpolation.resample(STUDENT, 5);
        double[] errors = SelectiveAlignment.errors(TEACHER, resampled);
        double[] expectedErrors = {0.2222222198, 0.2499999938, 0.4999999917, 0.99999995, 0};
        for (int j = 0; j < errors.length; j++) {
            assertThat(errors[j]).as("e_%d", j).isCloseTo(expectedErrors[j], within(1e-10));
        }
        assertThat(SelectiveAlignment.mask(TEACHER, resampled, TEACHER, 0.1, true, CriticalSigma.POPULATION))
                .containsExactly(true, false, false, false, false);

        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FadLoss.FlowStep weightedSum = step(context, example(context, "form = weighted-sum, " + BATCH_STATISTICS), 0);
            assertThat(weightedSum.loss().getDouble()).isCloseTo(0.007517952883, withinPercentage(TOLERANCE));
            assertThat(weightedSum.selected()).isEqualTo(1);
            FadLoss.FlowStep integrated = step(context, example(context, BATCH_STATISTICS), 0);
            assertThat(integrated.loss().getDouble()).isCloseTo(0.001795695149, withinPercentage(TOLERANCE));
            assertThat(integrated.selected()).isEqualTo(1);
            // EMA statistics start from the first batch, so the first mask is the same.
            FadLoss ema = example(context, "selective.enabled = true");
            assertThat(step(context, ema, 0).loss().getDouble()).isCloseTo(0.001795695149, withinPercentage(TOLERANCE));
            assertThat(ema.getFadState().mask()).containsExactly(true, false, false, false, false);
        }
    }

    @Test
    void testMaskVariants() {
        double[] resampled = DepthInterpolation.resample(STUDENT, 5);
        assertThat(SelectiveAlignment.mask(TEACHER, resampled, TEACHER, 0.1, false, CriticalSigma.POPULATION))
                .containsExactly(true, true, true, true, false);
        assertThat(SelectiveAlignment.mask(TEACHER, resampled, TEACHER, 0.3, false, CriticalSigma.POPULATION))
                .containsExactly(false, false, true, true, false);
        // unbiased: σ·sqrt(5/4); depth 0 stays the only critical one
        assertThat(SelectiveAlignment.standardDeviation(TEACHER, CriticalSigma.UNBIASED))
                .isCloseTo(0.2315167381 * Math.sqrt(1.25), withinPercentage(TOLERANCE));
        assertThat(SelectiveAlignment.critical(new double[] {0.1, 0.1, 0.1, 0.1, 0.6}, CriticalSigma.UNBIASED))
                .containsExactly(false, false, false, false, true);
        // fewer than 3 depths: nothing is critical
        assertThat(SelectiveAlignment.critical(new double[] {1, 0}, CriticalSigma.POPULATION)).containsExactly(false, false);
        assertThat(SelectiveAlignment.critical(new double[] {1}, CriticalSigma.UNBIASED)).containsExactly(false);
    }

    @Test
    void testFallbackWhenNothingIsSelected() {
        // the critical depth 0 is aligned: the fallback selects every depth with a non-zero error
        double[] aligned = {0.9, 0.7, 0.5, 0.5, 0.5};
        assertThat(SelectiveAlignment.mask(TEACHER, aligned, TEACHER, 0.1, true, CriticalSigma.POPULATION))
                .containsExactly(false, true, true, true, false);
        // no error anywhere: nothing is selected and L_FAD is 0
        assertThat(SelectiveAlignment.mask(TEACHER, TEACHER, TEACHER, 0.1, true, CriticalSigma.POPULATION))
                .containsExactly(false, false, false, false, false);
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FadLoss fad = create(context, BATCH_STATISTICS, TestingBatches.layout(6), TestingBatches.layout(6));
            NDManager manager = context.getManager();
            FadLoss.FlowStep step = fad.flowStep(progress(0), manager.create(TEACHER), manager.create(TEACHER));
            assertThat(step.selected()).isZero();
            assertThat(step.loss().getDouble()).isZero();
        }
    }

    @Test
    void testEmaStatistics() {
        double[] teacher2 = {0.5, 0.5, 0.5, 0.5, 0.5};
        double[] student2 = {0.1, 0.2, 0.3};
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = example(context, "selective { enabled = true, ema-decay = 0.8 }");
            assertThat(fad.getFadState()).isEqualTo(FadState.INITIAL);
            step(context, fad, 0);
            double[] resampled = DepthInterpolation.resample(STUDENT, 5);
            assertThat(fad.getFadState().teacherStatistics()).containsExactly(boxed(TEACHER));
            assertThat(fad.getFadState().studentStatistics()).containsExactly(boxed(resampled));

            fad.flowStep(progress(1), manager.create(teacher2), manager.create(student2));
            // a second call for the same step (distillationTerm and compute) does not update twice
            fad.flowStep(progress(1), manager.create(teacher2), manager.create(student2));
            double[] resampled2 = DepthInterpolation.resample(student2, 5);
            List<Double> teacherStatistics = fad.getFadState().teacherStatistics();
            List<Double> studentStatistics = fad.getFadState().studentStatistics();
            for (int j = 0; j < 5; j++) {
                assertThat(teacherStatistics.get(j)).isCloseTo(0.8 * TEACHER[j] + 0.2 * teacher2[j], within(1e-15));
                assertThat(studentStatistics.get(j)).isCloseTo(0.8 * resampled[j] + 0.2 * resampled2[j], within(1e-15));
            }
            assertThat(fad.getFadState().globalStep()).isEqualTo(1);
        }
    }

    @Test
    void testMaskIsKeptBetweenRefreshes() {
        // This student is aligned at the critical depth 0: its own mask would be [0, 1, 1, 1, 0].
        double[] aligned = {0.9, 0.5, 0.5};
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = example(context, "form = weighted-sum, selective { enabled = true, statistics = batch, period = 3 }");
            assertThat(step(context, fad, 0).selected()).isEqualTo(1);
            for (int step = 1; step <= 2; step++) {
                FadLoss.FlowStep kept = fad.flowStep(progress(step), manager.create(TEACHER), manager.create(aligned));
                assertThat(fad.getFadState().mask()).as("step %d", step).containsExactly(true, false, false, false, false);
                assertThat(kept.selected()).isEqualTo(1);
                // only depth 0 counts, and there the student is aligned
                assertThat(kept.loss().getDouble()).isZero();
            }
            FadLoss.FlowStep refreshed = fad.flowStep(progress(3), manager.create(TEACHER), manager.create(aligned));
            assertThat(fad.getFadState().mask()).containsExactly(false, true, true, true, false);
            assertThat(refreshed.selected()).isEqualTo(3);
            assertThat(refreshed.loss().getDouble()).isPositive();
        }
    }

    @Test
    void testMaskKeysByName() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            List<String> names = List.of("stem", "b1", "b2", "b3", "b4", "b5");
            String settings = "form = weighted-sum, mask-keys = name, " + BATCH_STATISTICS;
            double[] student = {0.7, 0.6, 0.3, 0.4, 0.5};

            // One architecture: the names are the depths, as with mask-keys = depth.
            double byDepth = flowLoss(context, "form = weighted-sum, " + BATCH_STATISTICS,
                    TestingBatches.layout(names), TestingBatches.layout(names), student);
            FadLoss sameNames = create(context, settings, TestingBatches.layout(names), TestingBatches.layout(names));
            FadLoss.FlowStep step = sameNames.flowStep(progress(0), manager.create(TEACHER), manager.create(student));
            assertThat(step.loss().getDouble()).isCloseTo(byDepth, withinPercentage(TOLERANCE)).isPositive();
            assertThat(sameNames.getFadState().mask()).containsExactly(true, false, false, false, false);

            // Different architectures share no name: the masked L_FAD is 0.
            FadLoss other = create(context, settings, TestingBatches.layout(names),
                    TestingBatches.layout(List.of("conv", "c1", "c2", "c3", "c4", "c5")));
            FadLoss.FlowStep none = other.flowStep(progress(0), manager.create(TEACHER), manager.create(student));
            assertThat(none.selected()).isZero();
            assertThat(none.loss().getDouble()).isZero();
            assertThat(other.getFadState().mask()).isEmpty();

            // Shared names only: b1 (point 0) and b3..b5 are keyed; the critical b1 is selected.
            FadLoss partial = create(context, settings, TestingBatches.layout(names),
                    TestingBatches.layout(List.of("stem", "b1", "x2", "b3", "b4", "b5")));
            FadLoss.FlowStep some = partial.flowStep(progress(0), manager.create(TEACHER), manager.create(student));
            assertThat(partial.getFadState().mask()).hasSize(4);
            assertThat(some.selected()).isEqualTo(1);
            assertThat(some.loss().getDouble()).isCloseTo(byDepth, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testWeightsFrom() {
        double[] mean = {0.1, 0.2, 0.3, 0.9, 0.2};
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            String refreshEveryStep = BATCH_STATISTICS + ", selective.period = 1";
            FadLoss cached = example(context, refreshEveryStep);
            double batchWeights = step(context, cached, 0).loss().getDouble();
            cached.setMeanTeacherProfile(mean);
            FadLoss.FlowStep withMean = step(context, cached, 1);
            // the cached profile moves the critical depth to 3
            assertThat(cached.getFadState().mask()).containsExactly(false, false, false, true, false);
            assertThat(withMean.loss().getDouble()).isNotCloseTo(batchWeights, withinPercentage(1e-3));

            FadLoss batch = example(context, "weights-from = batch, " + refreshEveryStep);
            batch.setMeanTeacherProfile(mean);
            assertThat(step(context, batch, 0).loss().getDouble()).isCloseTo(batchWeights, withinPercentage(TOLERANCE));
            assertThat(step(context, batch, 1).loss().getDouble()).isCloseTo(batchWeights, withinPercentage(TOLERANCE));
            assertThat(batch.getFadState().mask()).containsExactly(true, false, false, false, false);
        }
    }

    @Test
    void testIndexPairing() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FadLoss fad = example(context, "form = weighted-sum, pairing = index");
            // w from the teacher's own points: Example 4.1
            double[] w = {0.299145299, 0.1756021757, 0.1926961925, 0.1080031081, 0.2245532247};
            double expected = 0;
            for (int i = 0; i < TEACHER.length; i++) {
                expected += w[i] * alignment(TEACHER[i], STUDENT[Math.min(i, STUDENT.length - 1)]);
            }
            FadLoss.FlowStep step = step(context, fad, 0);
            assertThat(step.loss().getDouble()).isCloseTo(expected, withinPercentage(1e-6));
            assertThat(step.selected()).isEqualTo(5);

            // With a longer student the teacher's points still set the axis.
            FadLoss longer = create(context, "form = weighted-sum, pairing = index",
                    TestingBatches.layout(4), TestingBatches.layout(6));
            NDManager manager = context.getManager();
            double[] teacher = {0.9, 0.4, 0.6};
            double[] student = {0.7, 0.3, 0.5, 0.1, 0.2};
            double[] weights = FlowWeights.layerWeights(teacher, 3, 0.1);
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += weights[i] * alignment(teacher[i], student[i]);
            }
            assertThat(longer.flowStep(progress(0), manager.create(teacher), manager.create(student)).loss().getDouble())
                    .isCloseTo(sum, withinPercentage(TOLERANCE));
        }
    }

    /** a(t, s) of fad-spec §3. */
    static double alignment(double teacher, double student) {
        return 0.5 * (teacher - student) * Math.log((teacher + 1e-8) / (student + 1e-8));
    }

    static TrainingProgress progress(long step) {
        return new TrainingProgress(1, 1, step);
    }

    /** A loss prepared for the profiles of Example 3.1. */
    static FadLoss example(TestingFadContext context, String settings) {
        return create(context, settings, TestingBatches.layout(TEACHER.length + 1),
                TestingBatches.layout(STUDENT.length + 1));
    }

    static FadLoss create(TestingFadContext context, String settings, TapLayout teacher, TapLayout student) {
        FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad\n" + settings);
        fad.prepare(TestingMethodSetups.of(context.getManager(), teacher, student));
        return fad;
    }

    /** Runs Example 3.1's profiles at a global step. */
    static FadLoss.FlowStep step(TestingFadContext context, FadLoss fad, long step) {
        NDManager manager = context.getManager();
        return fad.flowStep(progress(step), manager.create(TEACHER), manager.create(STUDENT));
    }

    private static double flowLoss(
            TestingFadContext context, String settings, TapLayout teacher, TapLayout student, double[] profile) {
        NDManager manager = context.getManager();
        return create(context, settings, teacher, student)
                .flowStep(progress(0), manager.create(TEACHER), manager.create(profile)).loss().getDouble();
    }

    private static Double[] boxed(double[] values) {
        Double[] result = new Double[values.length];
        for (int j = 0; j < values.length; j++) {
            result[j] = values[j];
        }
        return result;
    }
}
