package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.flow.FlowProfiles;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 5: fad on a student with a near-dead tap and a near-identity block, where a
 * student profile point is near 0 and the alignment's slope {@code ∂a/∂s ≈ −(t + ε)/(2(s + ε))}
 * is up to {@code −5·10⁷·t} (fad-spec §3). One forward and backward with tiny fixed-seed taps.
 */
final class TestFadNearDeadTaps {
    private static final int BATCH = 16;
    private static final int WIDTH = 8;
    /** The student's tap 1 is nearly dead: its activations are 1e-3 of the others'. */
    private static final float NEAR_DEAD = 1e-3f;
    /** Block 2 nearly passes its input through: it changes tap 1 by 1e-4 of its size. */
    private static final float NEAR_IDENTITY = 1e-4f;

    /**
     * The reproduction. Before the fix cka computed {@code 1 − CKA} by cancellation in float32 and
     * clipped it to [0, 1]: the near-identity pair's flow (6.9e-9) came out as 0 (a multiple of
     * 6e-8 at best), and whether the alignment's slope at that point, up to {@code −t/(2ε)},
     * reached the student depended on how the rounding fell: here it fell below 0, the clip cut the
     * pair's gradient, and what was left pushed the block the wrong way.
     */
    @Test
    void testANearIdentityBlockOnANearDeadTapGetsItsTrueFlowAndAFiniteGradient() {
        for (String weighting : new String[] {"weighting = adaptive", "weighting = fixed", "form = weighted-sum",
                "form = weighted-sum, weighting = fixed"}) {
            try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
                NDManager manager = context.getManager();
                Engine.getInstance().setRandomSeed(18);
                NDList teacherTaps = TestingBatches.randomTaps(manager, 4, BATCH, WIDTH);
                NDArray a0 = manager.randomNormal(new Shape(BATCH, WIDTH));
                NDArray a1 = manager.randomNormal(new Shape(BATCH, WIDTH)).mul(NEAR_DEAD);
                NDArray a2 = a1.add(manager.randomNormal(new Shape(BATCH, WIDTH)).mul(NEAR_DEAD * NEAR_IDENTITY));
                NDArray a3 = manager.randomNormal(new Shape(BATCH, WIDTH));
                NDList studentTaps = new NDList(a0, a1, a2, a3);
                double reference = oneMinusCkaInFloat64(a1, a2);
                assertThat(reference).isBetween(1e-10, 1e-7);

                FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, " + weighting);
                fad.prepare(TestingMethodSetups.of(
                        manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
                for (NDArray tap : studentTaps) {
                    tap.setRequiresGradient(true);
                }
                NDArray logits = manager.randomNormal(new Shape(BATCH, 4));
                logits.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    LossValue value = fad.compute(TestingBatches.batch(manager, logits, logits.duplicate(),
                            studentTaps, teacherTaps, manager.zeros(new Shape(BATCH), DataType.INT64)));
                    assertThat(scalar(value.total())).as(weighting).isFinite();
                    assertThat(scalar(value.terms().get("L_fad"))).as(weighting).isFinite().isPositive();
                    // The near-identity pair's flow is resolved, not rounded to 0 or to 6e-8.
                    float[] profile = FlowProfiles.profile(fad.getFlowMetric(), studentTaps).toFloatArray();
                    assertThat((double) profile[1]).as("%s: D^S_1", weighting)
                            .isCloseTo(reference, withinPercentage(1));
                    collector.backward(value.total());
                }
                for (int k = 0; k < studentTaps.size(); k++) {
                    float[] gradient = studentTaps.get(k).getGradient().toFloatArray();
                    for (float element : gradient) {
                        assertThat(element).as("%s: gradient of student tap %d", weighting, k).isFinite();
                    }
                }
                double along = studentTaps.get(2).getGradient().mul(a2.sub(a1)).sum()
                        .toType(DataType.FLOAT64, false).getDouble();
                if (weighting.contains("weighted-sum")) {
                    // The weighted-sum form evaluates a(t, s) at the point itself, s ≈ 7e-9 ≈ ε against
                    // t ≈ 0.6: the steepest the alignment gets, |∂a/∂s| ≈ (t + ε)/(2(s + ε)) ≈ 2·10⁷,
                    // yet D's slope √(2s) keeps the product bounded (fad-spec §3; see CkaFlowMetric).
                    // Its pull widens the block's change: the gradient w.r.t. its output points back
                    // towards its input. (The integrated form interpolates that point with its
                    // neighbours, which dominate.)
                    assertThat(along).as(weighting).isNegative();
                }
            }
        }
    }

    /**
     * A block that passes its tap through exactly (a residual block whose branch is dead): the
     * pair's flow is exactly 0, and that pair gives the block no gradient at all, rather than the
     * alignment's slope at 0 (−t/(2ε)) times rounding noise.
     */
    @Test
    void testAnIdentityBlockGetsZeroFlowAndNoGradientFromItsPair() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            Engine.getInstance().setRandomSeed(18);
            NDList teacherTaps = TestingBatches.randomTaps(manager, 3, BATCH, WIDTH);
            NDArray a0 = manager.randomNormal(new Shape(BATCH, WIDTH));
            NDArray a1 = manager.randomNormal(new Shape(BATCH, WIDTH)).mul(NEAR_DEAD);
            // The block's output is a copy of its input, with its own gradient.
            NDArray a2 = a1.duplicate();
            NDList studentTaps = new NDList(a0, a1, a2);
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD,
                    "type = fad, weighting = fixed, fixed-weights { task = 0, kd = 0, flow = 1 }");
            fad.prepare(TestingMethodSetups.of(
                    manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            a2.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = TestingBatches.batch(manager, manager.zeros(new Shape(BATCH, 4)),
                        manager.zeros(new Shape(BATCH, 4)), studentTaps, teacherTaps,
                        manager.zeros(new Shape(BATCH), DataType.INT64));
                LossValue value = fad.compute(batch);
                assertThat(FlowProfiles.profile(fad.getFlowMetric(), studentTaps).toFloatArray()[1]).isEqualTo(0f);
                // a(t, 0) = ½·t·ln((t + ε)/ε): large but finite.
                assertThat(scalar(value.terms().get("L_fad"))).isFinite().isPositive();
                collector.backward(value.total());
            }
            // a2 enters only D(A_1, A_2), at its minimum 0: the gradient is exactly 0 there.
            assertThat(a2.getGradient().toFloatArray()).containsOnly(0f);
        }
    }

    /**
     * A run that still meets a non-finite flow fails naming the step, the term, the profile point
     * and the taps, for adaptive and for fixed weights (which read no profile value, so before
     * this only the loop's "the loss is NaN" named nothing).
     */
    @Test
    void testANonFiniteStudentTapFailsNamingTheStepTheTermAndTheTaps() {
        for (String weighting : new String[] {"adaptive", "fixed"}) {
            try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
                NDManager manager = context.getManager();
                Engine.getInstance().setRandomSeed(18);
                NDList teacherTaps = TestingBatches.randomTaps(manager, 4, BATCH, WIDTH);
                NDList studentTaps = TestingBatches.randomTaps(manager, 4, BATCH, WIDTH);
                studentTaps.set(2, studentTaps.get(2).duplicate());
                studentTaps.get(2).set(new ai.djl.ndarray.index.NDIndex("3, 5"), Float.NaN);
                FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, weighting = " + weighting);
                fad.prepare(TestingMethodSetups.of(
                        manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
                NDArray logits = manager.randomNormal(new Shape(BATCH, 4));
                DistillationBatch batch = TestingBatches.batch(manager, logits, logits, studentTaps, teacherTaps,
                        manager.zeros(new Shape(BATCH), DataType.INT64), new TrainingProgress(2, 3, 17));
                assertThatThrownBy(() -> fad.compute(batch))
                        .as(weighting)
                        .isInstanceOf(FadException.class)
                        .satisfies(e -> assertThat(((FadException) e).getErrorCode())
                                .isEqualTo(ErrorCode.TRAINING_DIVERGED))
                        .hasMessageContaining("Training diverged in epoch 2 at step 17")
                        .hasMessageContaining("flow term L_fad")
                        .hasMessageContaining("student profile point 1 = D(tap 'tap1', tap 'tap2') is NaN")
                        .hasMessageContaining("point 2 = D(tap 'tap2', tap 'tap3') is NaN")
                        .hasMessageContaining("student tap 'tap2' has NaN");
            }
        }
    }

    /** A NaN in the teacher-flow cache would make ω, w and L_FAD NaN at every step: refused at once. */
    @Test
    void testANonFiniteMeanTeacherProfileIsRefusedNamingThePoint() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(4), TestingBatches.layout(3)));
            assertThatThrownBy(() -> fad.setMeanTeacherProfile(new double[] {0.3, Double.NaN, 0.2}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the mean teacher profile's point 1 = D(tap 'tap1', tap 'tap2') is NaN; a flow"
                            + " profile is finite and >= 0");
        }
    }

    /** {@code 1 − ⟨K̃, L̃⟩/(‖K̃‖‖L̃‖)} in float64, where the cancellation costs nothing. */
    private static double oneMinusCkaInFloat64(NDArray x, NDArray y) {
        NDArray k = centredGram(x.toType(DataType.FLOAT64, false));
        NDArray l = centredGram(y.toType(DataType.FLOAT64, false));
        double inner = k.mul(l).sum().getDouble();
        double norms = Math.sqrt(k.square().sum().getDouble() * l.square().sum().getDouble());
        return 1 - inner / norms;
    }

    private static NDArray centredGram(NDArray tap) {
        NDArray centred = tap.sub(tap.mean(new int[] {0}, true));
        return centred.matMul(centred.transpose());
    }

    private static double scalar(NDArray array) {
        return array.toType(DataType.FLOAT64, false).getDouble();
    }
}
