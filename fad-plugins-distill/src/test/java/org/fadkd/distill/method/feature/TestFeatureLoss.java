package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.EnumSet;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.distill.method.KdLoss;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.testing.TestingMethodSetups;
import org.junit.jupiter.api.Test;

/** What all feature methods share: requirements and the total loss when trained alone (fad-spec §11 intro). */
final class TestFeatureLoss {
    private static final String[] METHODS = {"fitnets", "at", "vid", "generative"};

    @Test
    void testRequirementsAddTheTeacherOutputOnlyForAKdTerm() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            for (String method : METHODS) {
                assertThat(context.create(ComponentKind.METHOD, "type = " + method).getRequirements()).as(method)
                        .isEqualTo(EnumSet.of(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS));
                assertThat(context.create(ComponentKind.METHOD, "type = " + method + ", kd-weight = 0.5")
                                .getRequirements()).as(method)
                        .isEqualTo(EnumSet.of(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS, BatchField.TEACHER_OUTPUT));
            }
        }
    }

    @Test
    void testTotalIsWeightedTaskLossPlusTermPlusWeightedKd() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDList student = new NDList(manager.randomNormal(new Shape(2, 3, 4, 4)).toType(DataType.FLOAT64, false));
            NDList teacher = new NDList(manager.randomNormal(new Shape(2, 5, 4, 4)).toType(DataType.FLOAT64, false));
            NDArray studentLogits = manager.create(new double[][] {{0.5, 1.5, -1.0}, {2.0, 0.0, 0.5}});
            NDArray teacherLogits = manager.create(new double[][] {{0.2, 2.4, -0.8}, {1.5, 0.3, 1.0}});
            NDArray labels = manager.create(new long[] {1, 0});
            DistillationBatch batch = FeatureBatches.batch(manager, studentLogits, teacherLogits, student, teacher,
                    labels, 0, new ParameterStore(manager, false));
            TapLayout studentLayout = FeatureBatches.layout("s", student);
            TapLayout teacherLayout = FeatureBatches.layout("t", teacher);

            DistillationLoss alone = context.create(ComponentKind.METHOD, "type = at");
            alone.prepare(TestingMethodSetups.of(manager, teacherLayout, studentLayout));
            double term = alone.distillationTerm(batch).getDouble();
            LossValue plain = alone.compute(batch);
            // Example 11.2's logits: CE 0.338947372, D_kd 0.1195005091
            assertThat(plain.total().getDouble()).isCloseTo(0.338947372 + term, withinPercentage(1e-7));
            assertThat(plain.terms()).containsOnlyKeys("L_task", "L_at");
            assertThat(plain.terms().get("L_at").getDouble()).isEqualTo(term);

            DistillationLoss weighted = context.create(ComponentKind.METHOD, "type = at, task-weight = 0.5, kd-weight = 2");
            weighted.prepare(TestingMethodSetups.of(manager, teacherLayout, studentLayout));
            LossValue value = weighted.compute(batch);
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_at", "L_kd");
            assertThat(value.terms().get("L_kd").getDouble()).isCloseTo(0.1195005091, withinPercentage(1e-7));
            assertThat(KdLoss.divergence(studentLogits, teacherLogits, 4, "at").getDouble())
                    .isCloseTo(0.1195005091, withinPercentage(1e-7));
            assertThat(value.total().getDouble())
                    .isCloseTo(0.5 * 0.338947372 + term + 2 * 0.1195005091, withinPercentage(1e-7));
            // Under fad only D_X counts, unscaled.
            assertThat(weighted.distillationTerm(batch).getDouble()).isEqualTo(term);
        }
    }

    @Test
    void testMisuseFailsClearly() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDList taps = new NDList(manager.randomNormal(new Shape(2, 3, 4, 4)));
            DistillationBatch batch = FeatureBatches.batch(manager, taps, taps);
            for (String method : METHODS) {
                DistillationLoss loss = context.create(ComponentKind.METHOD, "type = " + method);
                assertThatThrownBy(() -> loss.distillationTerm(batch)).as(method)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("method '" + method + "' was not prepared");
            }
            DistillationLoss withKd = context.create(ComponentKind.METHOD, "type = at, kd-weight = 1");
            TapLayout layout = FeatureBatches.layout("t", taps);
            withKd.prepare(TestingMethodSetups.of(manager, layout, layout));
            assertThatThrownBy(() -> withKd.compute(batch)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kd-weight > 0 needs the teacher output");
            assertThatThrownBy(() -> withKd.distillationTerm(FeatureBatches.batch(manager, taps, new NDList())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("method 'at' needs teacher tap 0 but the batch has 0 teacher taps");
        }
    }
}
