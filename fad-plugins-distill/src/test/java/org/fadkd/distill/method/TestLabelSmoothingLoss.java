package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestLabelSmoothingLoss {
    private static final double TOLERANCE = 1e-7; // percent: 1e-9 relative

    @Test
    void testExample111() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss smoothing = context.create(ComponentKind.METHOD, "type = label-smoothing");
            assertThat(smoothing.getRequirements()).isEmpty();
            DistillationBatch batch = TestingBatches.batch(manager, manager.create(new double[][] {{2.0, 0.5, -1.0}}),
                    null, new NDList(), new NDList(), TestingBatches.labels(manager, 0));
            LossValue value = smoothing.compute(batch);
            assertThat(value.total().getDouble()).isCloseTo(0.3913112967, withinPercentage(TOLERANCE));
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_ls");
            assertThat(value.terms().get("L_task").getDouble()).isCloseTo(0.2413112967, withinPercentage(TOLERANCE));
            assertThat(smoothing.distillationTerm(batch).getDouble()).isCloseTo(0.3913112967, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testAgreesWithTheTargetMatrixOverABatch() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss smoothing = context.create(ComponentKind.METHOD, "type = label-smoothing, epsilon = 0.3");
            double[][] logits = {{0.2, -1.0, 3.0, 0.5}, {1.0, 1.0, -2.0, 0.0}, {-0.5, 2.0, 0.1, 0.7}};
            long[] labels = {2, 0, 3};
            double expected = 0;
            for (int b = 0; b < logits.length; b++) {
                double logSum = 0;
                for (double z : logits[b]) {
                    logSum += Math.exp(z);
                }
                logSum = Math.log(logSum);
                for (int c = 0; c < 4; c++) {
                    double q = (c == labels[b] ? 0.7 : 0) + 0.3 / 4;
                    expected -= q * (logits[b][c] - logSum) / logits.length;
                }
            }
            DistillationBatch batch = TestingBatches.batch(manager, manager.create(logits), null, new NDList(),
                    new NDList(), TestingBatches.labels(manager, labels));
            assertThat(smoothing.compute(batch).total().getDouble()).isCloseTo(expected, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testEpsilonZeroIsCrossEntropyAndFloat32StaysFloat32() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss smoothing = context.create(ComponentKind.METHOD, "type = label-smoothing, epsilon = 0");
            NDArray logits = manager.create(new float[][] {{2.0f, 0.5f, -1.0f}});
            LossValue value = smoothing.compute(TestingBatches.batch(
                    manager, logits, null, new NDList(), new NDList(), TestingBatches.labels(manager, 0)));
            assertThat(value.total().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat((double) value.total().getFloat()).isCloseTo(0.2413112967, withinPercentage(1e-3));
        }
    }

    @Test
    void testSettings() {
        assertThat(LabelSmoothingSettings.from(new LabelSmoothingFactory().getDefaults()))
                .isEqualTo(new LabelSmoothingSettings(0.1));
        assertThatThrownBy(() -> LabelSmoothingSettings.from(ConfigFactory.parseString("epsilon = 1.5")))
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'epsilon' of method 'label-smoothing' is '1.5'; it must be a number in [0, 1].")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testNonClassLogitsFail() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss smoothing = context.create(ComponentKind.METHOD, "type = label-smoothing");
            NDArray logits = manager.create(new double[] {2.0, 0.5}, new Shape(1, 2, 1));
            DistillationBatch batch = new DistillationBatch(manager, logits, new NDList(), null, null, new NDList(),
                    null, new NDList(TestingBatches.labels(manager, 0)), manager.create(0.0), null,
                    new TrainingProgress(1, 1, 0), new ParameterStore(manager, false));
            assertThatThrownBy(() -> smoothing.compute(batch))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("'label-smoothing' needs class logits");
        }
    }
}
