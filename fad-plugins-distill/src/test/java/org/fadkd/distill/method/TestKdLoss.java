package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestKdLoss {
    private static final double TOLERANCE = 1e-7;

    @Test
    void testExample112() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd");
            assertThat(kd.getRequirements()).isEqualTo(Set.of(BatchField.TEACHER_OUTPUT));
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.create(new double[][] {{0.5, 1.5, -1.0}, {2.0, 0.0, 0.5}}),
                    manager.create(new double[][] {{0.2, 2.4, -0.8}, {1.5, 0.3, 1.0}}),
                    new NDList(), new NDList(), TestingBatches.labels(manager, 1, 0));
            assertThat(batch.taskLoss().getDouble()).isCloseTo(0.338947372, withinPercentage(TOLERANCE));
            assertThat(kd.distillationTerm(batch).getDouble()).isCloseTo(0.1195005091, withinPercentage(TOLERANCE));
            LossValue value = kd.compute(batch);
            assertThat(value.total().getDouble()).isCloseTo(0.1414451954, withinPercentage(TOLERANCE));
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_kd");
            assertThat(value.terms().get("L_kd").getDouble()).isCloseTo(0.1195005091, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testEqualLogitsGiveZero() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd, temperature = 2");
            NDArray logits = manager.create(new double[][] {{0.5, 1.5, -1.0}, {2.0, 0.0, 0.5}});
            DistillationBatch batch = TestingBatches.batch(
                    manager, logits, logits, new NDList(), new NDList(), TestingBatches.labels(manager, 1, 0));
            assertThat(kd.distillationTerm(batch).getDouble()).isEqualTo(0.0);
        }
    }

    @Test
    void testFloat32StaysFloat32() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd");
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.create(new float[][] {{0.5f, 1.5f, -1.0f}, {2.0f, 0.0f, 0.5f}}),
                    manager.create(new float[][] {{0.2f, 2.4f, -0.8f}, {1.5f, 0.3f, 1.0f}}),
                    new NDList(), new NDList(), TestingBatches.labels(manager, 1, 0));
            LossValue value = kd.compute(batch);
            assertThat(value.total().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat((double) value.total().getFloat()).isCloseTo(0.1414451954, withinPercentage(1e-3));
        }
    }

    @Test
    void testDifferentClassCountsFail() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd");
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.create(new double[][] {{0.5, 1.5, -1.0}}),
                    manager.create(new double[][] {{0.2, 2.4, -0.8, 0.1}}),
                    new NDList(), new NDList(), TestingBatches.labels(manager, 1));
            assertThatThrownBy(() -> kd.distillationTerm(batch))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("teacher gives '4' classes")
                    .hasMessageContaining("the student '3'")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        }
    }

    @Test
    void testSettings() {
        assertThat(KdSettings.from(new KdFactory().getDefaults())).isEqualTo(new KdSettings(4, 0.9));
        assertThat(KdSettings.from(section("temperature = 2, alpha = 0.5")))
                .isEqualTo(new KdSettings(2, 0.5, 1));
        assertThatThrownBy(() -> KdSettings.from(section("temperature = 4, alpha = 1.5")))
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'alpha' of method 'kd' is '1.5'; it must be a number in [0, 1].")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(() -> KdSettings.from(section("temperature = 0, alpha = 0.5")))
                .hasMessageContaining("'temperature'")
                .hasMessageContaining("'0'");
        assertThatThrownBy(() -> KdSettings.from(section("temperature = 0, alpha = 1.5")))
                .hasMessageContaining("Setting 'temperature' of method 'kd' is '0'")
                .hasMessageContaining("Setting 'alpha' of method 'kd' is '1.5'")
                .hasMessageEndingWith("2 errors");
        assertThatThrownBy(() -> KdSettings.from(section("temperature = hot, alpha = 0.5")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'temperature' of method 'kd' is 'hot'");
    }

    /** A kd section as the host passes it: merged over the defaults. */
    private static Config section(String text) {
        return ConfigFactory.parseString(text).withFallback(new KdFactory().getDefaults());
    }
}
