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
import java.util.List;
import java.util.Map;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestFadLoss {
    private static final double TOLERANCE = 1e-7;
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double[] STUDENT = {0.7, 0.3, 0.5};

    @Test
    void testExample51() {
        assertThat(flowLossOfExample("")).isCloseTo(0.02014065122, withinPercentage(TOLERANCE));
        assertThat(flowLossOfExample("omega-normalisation = sum"))
                .isCloseTo(0.004028130245, withinPercentage(TOLERANCE));
        assertThat(flowLossOfExample("form = weighted-sum"))
                .isCloseTo(0.03699840512, withinPercentage(TOLERANCE));
        assertThat(flowLossOfExample("form = weighted-sum, flow-scale = 2"))
                .isCloseTo(2 * 0.03699840512, withinPercentage(TOLERANCE));
    }

    @Test
    void testRequirementsIncludeTheKdTerms() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            assertThat(context.create(ComponentKind.METHOD, "type = fad").getRequirements())
                    .containsExactlyInAnyOrder(
                            BatchField.TEACHER_TAPS, BatchField.STUDENT_TAPS, BatchField.TEACHER_OUTPUT);
        }
    }

    @Test
    void testComputeCombinesTermsInOrder() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            manager.getEngine().setRandomSeed(7);
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            NDList teacherTaps = TestingBatches.randomTaps(manager, 5, 16, 6);
            NDList studentTaps = TestingBatches.randomTaps(manager, 3, 16, 4);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.randomNormal(new Shape(16, 5)), manager.randomNormal(new Shape(16, 5)),
                    studentTaps, teacherTaps, manager.randomInteger(0, 5, new Shape(16), DataType.INT64));
            LossValue value = fad.compute(batch);
            Map<String, NDArray> terms = value.terms();
            assertThat(terms.keySet()).containsExactly(
                    "L_task", "L_kd", "L_fad", "alpha", "beta", "gamma", "d_align", "selected_depths", "stage");
            // selective alignment and the curriculum are off: every grid point, no stage
            assertThat(terms.get("selected_depths").getDouble()).isEqualTo(4.0);
            assertThat(terms.get("stage").getDouble()).isEqualTo(0.0);
            double alpha = terms.get("alpha").getDouble();
            double beta = terms.get("beta").getDouble();
            double gamma = terms.get("gamma").getDouble();
            assertThat(alpha + beta + gamma).isCloseTo(1, within(1e-12));
            assertThat(alpha).isCloseTo(0.5, within(1e-6));
            double expected = alpha * terms.get("L_task").getFloat()
                    + beta * terms.get("L_kd").getFloat()
                    + gamma * terms.get("L_fad").getDouble();
            assertThat(value.total().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat((double) value.total().getFloat()).isCloseTo(expected, withinPercentage(1e-4));
            assertThat(terms.get("L_fad").getDouble()).isPositive();
            assertThat(terms.get("d_align").getDouble()).isNotNegative();
            assertThat(fad.distillationTerm(batch).getDouble())
                    .isCloseTo(terms.get("L_fad").getDouble(), withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testTapCounts() {
        int[][] tapCounts = {{4, 4}, {12, 4}, {4, 12}};
        for (String form : new String[] {"integrated", "weighted-sum"}) {
            for (int[] counts : tapCounts) {
                try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
                    NDManager manager = context.getManager();
                    manager.getEngine().setRandomSeed(counts[0] * 100 + counts[1]);
                    FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad, form = " + form);
                    NDList teacherTaps = TestingBatches.randomTaps(manager, counts[0], 16, 6);
                    NDList studentTaps = TestingBatches.randomTaps(manager, counts[1], 16, 3);
                    fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
                    NDArray logits = manager.randomNormal(new Shape(16, 4));
                    LossValue value = fad.compute(TestingBatches.batch(manager, logits, logits,
                            studentTaps, teacherTaps, manager.zeros(new Shape(16), DataType.INT64)));
                    assertThat(value.terms().get("L_fad").getDouble())
                            .as("%s, taps %d, %d", form, counts[0], counts[1])
                            .isFinite()
                            .isNotNegative();
                    assertThat(value.terms().get("d_align").getDouble()).isFinite().isNotNegative();
                    assertThat(value.terms().get("L_kd").getFloat()).isEqualTo(0f);
                }
            }
        }
    }

    @Test
    void testMeanTeacherProfileSeam() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            manager.getEngine().setRandomSeed(3);
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            NDList teacherTaps = TestingBatches.randomTaps(manager, 6, 16, 5);
            NDList studentTaps = TestingBatches.randomTaps(manager, 4, 16, 5);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(teacherTaps), TestingBatches.layout(studentTaps)));
            NDArray logits = manager.randomNormal(new Shape(16, 4));
            DistillationBatch batch = TestingBatches.batch(
                    manager, logits, logits, studentTaps, teacherTaps, manager.zeros(new Shape(16), DataType.INT64));
            double withBatchWeights = fad.distillationTerm(batch).getDouble();

            fad.setMeanTeacherProfile(TEACHER);
            NDArray teacherProfile = FlowProfiles.profile(fad.getFlowMetric(), teacherTaps);
            NDArray studentProfile = FlowProfiles.profile(fad.getFlowMetric(), studentTaps);
            double expected = fad.flowLoss(teacherProfile, studentProfile, TEACHER).getDouble();
            assertThat(fad.distillationTerm(batch).getDouble())
                    .isCloseTo(expected, withinPercentage(TOLERANCE))
                    .isNotCloseTo(withBatchWeights, withinPercentage(TOLERANCE));

            fad.setMeanTeacherProfile(null);
            assertThat(fad.distillationTerm(batch).getDouble()).isCloseTo(withBatchWeights, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testPrepareFailsEarly() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss relativeChange = (FadLoss) context
                    .create(ComponentKind.METHOD, "type = fad, flow-metric = relative-change");
            TapLayout resnet = new TapLayout(List.of("layer1", "layer2"),
                    List.of(new Shape(64, 56, 56), new Shape(128, 28, 28)));
            assertThatThrownBy(() -> relativeChange.prepare(TestingMethodSetups.of(manager, resnet, TestingBatches.layout(3))))
                    .isInstanceOf(FadException.class)
                    .hasMessageStartingWith("Flow metric 'relative-change' needs adjacent taps of equal size:"
                            + " tap 'layer1' gives (64, 56, 56) = 200704 values per sample");
            FadLoss cka = (FadLoss) context.create(ComponentKind.METHOD, "type = fad");
            assertThatThrownBy(() -> cka.prepare(TestingMethodSetups.of(manager, resnet, TestingBatches.layout(1))))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("the student declares '1'");
            NDArray profile = manager.create(STUDENT);
            assertThatThrownBy(() -> cka.flowLoss(profile, profile, STUDENT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("prepare()");
        }
    }

    private static double flowLossOfExample(String settings) {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FadLoss fad = (FadLoss) context.create(ComponentKind.METHOD, "type = fad\n" + settings);
            fad.prepare(TestingMethodSetups.of(manager, TestingBatches.layout(TEACHER.length + 1), TestingBatches.layout(STUDENT.length + 1)));
            NDArray loss = fad.flowLoss(manager.create(TEACHER), manager.create(STUDENT), TEACHER);
            assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(loss.getShape()).isEqualTo(new Shape());
            return loss.getDouble();
        }
    }
}
