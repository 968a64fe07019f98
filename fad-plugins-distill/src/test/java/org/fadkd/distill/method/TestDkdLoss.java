package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

final class TestDkdLoss {
    private static final double TOLERANCE = 1e-7; // percent: 1e-9 relative

    private static final double[][] STUDENT = {{1.0, 2.5, 0.2, -0.5}};
    private static final double[][] TEACHER = {{0.4, 3.0, 1.1, -1.0}};

    @Test
    void testExample118() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss dkd = context.create(ComponentKind.METHOD, "type = dkd");
            assertThat(dkd.getRequirements()).isEqualTo(Set.of(BatchField.TEACHER_OUTPUT));
            NDArray labels = TestingBatches.labels(manager, 1);
            NDArray student = manager.create(STUDENT);
            NDArray teacher = manager.create(TEACHER);

            DkdLoss.PerSample parts = DkdLoss.perSample(student, teacher, labels, 4);
            assertThat(parts.teacherTarget().getDouble(0)).isCloseTo(0.398119241, withinPercentage(TOLERANCE));
            double tckd = 16 * parts.binaryKl().getDouble(0);
            double nckd = 16 * parts.nonTargetKl().getDouble(0);
            assertThat(tckd).isCloseTo(0.03228201378, withinPercentage(TOLERANCE));
            assertThat(nckd).isCloseTo(0.2516513183, withinPercentage(TOLERANCE));
            assertThat(tckd + 8 * nckd).isCloseTo(2.04549256, withinPercentage(TOLERANCE));
            // TCKD + (1 − p^T_t)·NCKD is D_kd of the same logits (fad-spec §11.2).
            assertThat(tckd + (1 - 0.398119241) * nckd).isCloseTo(0.1837461002, withinPercentage(TOLERANCE));
            assertThat(new KdLoss(new KdSettings(4, 1)).distillationTerm(
                    TestingBatches.batch(manager, student, teacher, new NDList(), new NDList(), labels)).getDouble())
                    .isCloseTo(0.1837461002, withinPercentage(TOLERANCE));

            DistillationBatch epoch5 = TestingBatches.batch(manager, student, teacher, new NDList(), new NDList(),
                    labels, new TrainingProgress(5, 240, 400));
            assertThat(dkd.distillationTerm(epoch5).getDouble()).isCloseTo(0.5113731401, withinPercentage(TOLERANCE));
            LossValue value = dkd.compute(epoch5);
            assertThat(value.terms()).containsOnlyKeys("L_task", "L_dkd", "tckd", "nckd");
            assertThat(value.terms().get("tckd").getDouble()).isCloseTo(0.03228201378, withinPercentage(TOLERANCE));
            assertThat(value.terms().get("nckd").getDouble()).isCloseTo(0.2516513183, withinPercentage(TOLERANCE));
            assertThat(value.total().getDouble()).isCloseTo(
                    epoch5.taskLoss().getDouble() + 0.5113731401, withinPercentage(TOLERANCE));

            DistillationBatch epoch30 = TestingBatches.batch(manager, student, teacher, new NDList(), new NDList(),
                    labels, new TrainingProgress(30, 240, 4000));
            assertThat(dkd.distillationTerm(epoch30).getDouble()).isCloseTo(2.04549256, withinPercentage(TOLERANCE));
        }
    }

    /** Per sample, KL(p^T‖p^S) = KL(b^T‖b^S) + (1 − p^T_t)·KL(p̂^T‖p̂^S), at any temperature. */
    @Test
    void testDecompositionInvariantOnRandomLogits() {
        Random random = new Random(7);
        int batch = 16;
        int classes = 10;
        double temperature = 3;
        double[][] student = new double[batch][classes];
        double[][] teacher = new double[batch][classes];
        long[] labels = new long[batch];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < classes; c++) {
                student[b][c] = 3 * random.nextGaussian();
                teacher[b][c] = 3 * random.nextGaussian();
            }
            labels[b] = random.nextInt(classes);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            DkdLoss.PerSample parts = DkdLoss.perSample(
                    manager.create(student), manager.create(teacher), TestingBatches.labels(manager, labels), temperature);
            double[] binary = parts.binaryKl().toDoubleArray();
            double[] nonTarget = parts.nonTargetKl().toDoubleArray();
            double[] teacherTarget = parts.teacherTarget().toDoubleArray();
            for (int b = 0; b < batch; b++) {
                double[] p = softmax(teacher[b], temperature);
                double[] q = softmax(student[b], temperature);
                double kl = 0;
                for (int c = 0; c < classes; c++) {
                    kl += p[c] * Math.log(p[c] / q[c]);
                }
                assertThat(teacherTarget[b]).isCloseTo(p[(int) labels[b]], withinPercentage(TOLERANCE));
                assertThat(binary[b] + (1 - teacherTarget[b]) * nonTarget[b]).as("sample %d", b)
                        .isCloseTo(kl, withinPercentage(TOLERANCE));
            }
        }
    }

    @Test
    void testEqualLogitsGiveZero() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss dkd = context.create(ComponentKind.METHOD, "type = dkd, warmup-epochs = 0");
            NDArray logits = manager.create(new double[][] {{0.5, 1.5, -1.0}, {2.0, 0.0, 0.5}});
            DistillationBatch batch = TestingBatches.batch(
                    manager, logits, logits, new NDList(), new NDList(), TestingBatches.labels(manager, 1, 0));
            assertThat(dkd.distillationTerm(batch).getDouble()).isCloseTo(0.0, within(1e-15));
        }
    }

    @Test
    void testACertainTeacherGivesFiniteTerms() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss dkd = context.create(ComponentKind.METHOD, "type = dkd, warmup-epochs = 0");
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.create(new float[][] {{0.5f, 1.5f, -1.0f}}),
                    manager.create(new float[][] {{0f, 1000f, -1000f}}),
                    new NDList(), new NDList(), TestingBatches.labels(manager, 1));
            assertThat(Double.isFinite(dkd.distillationTerm(batch).getFloat())).isTrue();
        }
    }

    @Test
    void testGradientReachesTheStudentLogits() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss dkd = context.create(ComponentKind.METHOD, "type = dkd");
            NDArray student = manager.create(new float[][] {{1.0f, 2.5f, 0.2f, -0.5f}, {0.3f, -0.2f, 1.0f, 0.0f}});
            student.setRequiresGradient(true);
            NDArray teacher = manager.create(new float[][] {{0.4f, 3.0f, 1.1f, -1.0f}, {1.0f, 0.0f, 0.5f, 0.2f}});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DistillationBatch batch = TestingBatches.batch(manager, student, teacher, new NDList(), new NDList(),
                        TestingBatches.labels(manager, 1, 2), new TrainingProgress(5, 240, 400));
                collector.backward(dkd.distillationTerm(batch));
            }
            float[] gradient = student.getGradient().toFloatArray();
            double norm = 0;
            for (float g : gradient) {
                assertThat(Float.isFinite(g)).isTrue();
                norm += g * g;
            }
            assertThat(norm).isGreaterThan(1e-6);
        }
    }

    @Test
    void testDifferentClassCountsFail() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            DistillationLoss dkd = context.create(ComponentKind.METHOD, "type = dkd");
            DistillationBatch batch = TestingBatches.batch(manager,
                    manager.create(new double[][] {{0.5, 1.5, -1.0}}),
                    manager.create(new double[][] {{0.2, 2.4, -0.8, 0.1}}),
                    new NDList(), new NDList(), TestingBatches.labels(manager, 1));
            assertThatThrownBy(() -> dkd.distillationTerm(batch))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'dkd' needs teacher and student logits")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
        }
    }

    @Test
    void testSettingsAndWarmup() {
        DkdSettings defaults = DkdSettings.from(new DkdFactory().getDefaults());
        assertThat(defaults).isEqualTo(new DkdSettings(4, 1, 8, 20, 1));
        assertThat(defaults.warmupFactor(1)).isEqualTo(0.05);
        assertThat(defaults.warmupFactor(20)).isEqualTo(1.0);
        assertThat(defaults.warmupFactor(200)).isEqualTo(1.0);
        assertThat(new DkdSettings(4, 1, 8, 0, 1).warmupFactor(1)).isEqualTo(1.0);
        assertThatThrownBy(() -> DkdSettings.from(ConfigFactory.parseString("beta = -1, warmup-epochs = -1")
                        .withFallback(new DkdFactory().getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'beta' of method 'dkd' is '-1'; it must be a number in [0, inf).")
                .hasMessageContaining("Setting 'warmup-epochs' of method 'dkd' is '-1'; it must be an integer in [0, 1000000].")
                .hasMessageEndingWith("2 errors");
    }

    @Test
    void testWarnsOnceAtTheFirstStepWhenTheWarmupOutlastsTheRun() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String afterPrepare;
        try (NDManager manager = NDManager.newBaseManager()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            DkdLoss dkd = new DkdLoss(new DkdSettings(4, 1, 8, 20, 1));
            dkd.prepare(setup(manager, 21));
            dkd.compute(batch(manager));
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("warmup-epochs");
            dkd.prepare(setup(manager, 20));
            // Not in prepare, which the host may call on a probe instance that never trains.
            afterPrepare = captured.toString(StandardCharsets.UTF_8);
            dkd.compute(batch(manager));
            dkd.compute(batch(manager));
        } finally {
            System.setErr(original);
        }
        assertThat(afterPrepare).doesNotContain("warmup-epochs");
        // slf4j-simple writes to the current System.err (it does not cache the stream by default)
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Method 'dkd': warmup-epochs = 20 is not below the run's 20 epochs",
                "reaches its full weight only in the last epoch");
        assertThat(log.indexOf("warmup-epochs")).isEqualTo(log.lastIndexOf("warmup-epochs = 20 is"));
    }

    private static DistillationBatch batch(NDManager manager) {
        return TestingBatches.batch(manager, manager.create(new float[] {1f, 2.5f, 0.2f, -0.5f}, new Shape(1, 4)),
                manager.create(new float[] {0.4f, 3f, 1.1f, -1f}, new Shape(1, 4)), new NDList(), new NDList(),
                TestingBatches.labels(manager, 1));
    }

    private static MethodSetup setup(NDManager manager, int epochs) {
        TapLayout none = new TapLayout(List.of(), List.of());
        return new MethodSetup(none, none, 0, 0, "teacher", "student", manager, 0, null, epochs, 0);
    }

    private static double[] softmax(double[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            p[c] = Math.exp(logits[c] / temperature - max);
            sum += p[c];
        }
        for (int c = 0; c < logits.length; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
