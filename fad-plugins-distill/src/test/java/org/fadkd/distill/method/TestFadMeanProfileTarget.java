package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.LossValue;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/** fad with the teacher forward skipped (teacher-logit cache, fad-spec §9): D̄^T is the target. */
final class TestFadMeanProfileTarget {
    @Test
    void testBatchWithoutTeacherTapsUsesTheMeanProfileAsTarget() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            manager.getEngine().setRandomSeed(5);
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            assertThat(fad.canUseMeanProfileAsTarget()).isFalse();
            NDList teacherTaps = TestingBatches.randomTaps(manager, 5, 16, 5);
            NDList studentTaps = TestingBatches.randomTaps(manager, 4, 16, 5);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            NDArray logits = manager.randomNormal(new Shape(16, 4));
            NDArray labels = manager.zeros(new Shape(16), DataType.INT64);

            // The batch's own D^T as the mean profile: a batch without teacher taps gives the same loss.
            float[] batchProfile = FlowProfiles.profile(fad.getFlowMetric(), teacherTaps).toFloatArray();
            double[] mean = new double[batchProfile.length];
            for (int k = 0; k < mean.length; k++) {
                mean[k] = batchProfile[k];
            }
            fad.setMeanTeacherProfile(mean);
            assertThat(fad.canUseMeanProfileAsTarget()).isTrue();
            LossValue withTaps = fad.compute(
                    TestingBatches.batch(manager, logits, logits, studentTaps, teacherTaps, labels));
            LossValue withoutTaps = fad.compute(
                    TestingBatches.batch(manager, logits, logits, studentTaps, new NDList(), labels));
            for (String term : new String[] {"L_fad", "d_align", "gamma"}) {
                assertThat(withoutTaps.terms().get(term).toType(DataType.FLOAT64, false).getDouble())
                        .as(term)
                        .isCloseTo(withTaps.terms().get(term).toType(DataType.FLOAT64, false).getDouble(),
                                withinPercentage(1e-4));
            }
            assertThat(withoutTaps.terms().get("L_fad").toType(DataType.FLOAT64, false).getDouble()).isPositive();

            fad.setMeanTeacherProfile(null);
            assertThat(fad.canUseMeanProfileAsTarget()).isFalse();
        }
    }
}
