package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestNoneMethod {
    @Test
    void testLossIsTaskLossAndNeedsNoTeacher() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss none = context.create(ComponentKind.METHOD, "type = none");
            assertThat(none.getRequirements()).isEmpty();
            NDArray logits = manager.create(new double[][] {{2.0, 0.5, -1.0}});
            LossValue value = none.compute(TestingBatches.batch(
                    manager, logits, null, new NDList(), new NDList(), TestingBatches.labels(manager, 0)));
            // fad-spec §11.1: plain CE of this example.
            assertThat(value.total().getDouble()).isCloseTo(0.2413112967, withinPercentage(1e-7));
            assertThat(value.terms()).containsOnlyKeys("L_task");
            assertThat(none.distillationTerm(TestingBatches.batch(
                    manager, logits, null, new NDList(), new NDList(), TestingBatches.labels(manager, 0)))
                    .getDouble()).isEqualTo(0.0);
        }
    }
}
