package org.fadkd.distill.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
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

/**
 * kd between detectors (fad-spec §12): per-location Bernoulli KL on the heatmap logits. The
 * expected values are the formula evaluated term by term in double precision.
 */
final class TestHeatmapKd {
    private static final double TOLERANCE = 1e-7;

    /**
     * One class on a 1×2 grid, T = 1: z_S = [0, 1], z_T = [1, −1]. Σ of the two Bernoulli KLs
     * (0.2127…, 0.3603…) over B·H'·W' = 2 locations.
     */
    private static final double ONE_CLASS_T1 = 0.2865306144658685;

    /**
     * B = 2, C = 2 on a 1×2 grid, T = 2: T²·(Σ of the 8 KLs)/(B·H'·W' = 4), classes summed, not
     * averaged.
     */
    private static final double TWO_CLASSES_T2 = 0.14100044546113424;

    @Test
    void testOneClassByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = output(manager, new double[][][] {{{0.0, 1.0}}}, 0.3);
            NDArray teacher = output(manager, new double[][][] {{{1.0, -1.0}}}, -2.0);
            assertThat(HeatmapKd.divergence(student, teacher, 1, "kd").getDouble())
                    .isCloseTo(ONE_CLASS_T1, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testClassesAreSummedAndLocationsAveraged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = NDArrays.concat(new NDList(
                    output(manager, new double[][][] {{{0.5, -1.0}}, {{2.0, 0.0}}}, 0.0),
                    output(manager, new double[][][] {{{-0.5, 1.5}}, {{0.3, -2.0}}}, 0.0)), 0);
            NDArray teacher = NDArrays.concat(new NDList(
                    output(manager, new double[][][] {{{1.0, -0.5}}, {{1.0, 0.5}}}, 5.0),
                    output(manager, new double[][][] {{{0.0, 2.5}}, {{-0.7, -1.0}}}, 5.0)), 0);
            assertThat(HeatmapKd.divergence(student, teacher, 2, "kd").getDouble())
                    .isCloseTo(TWO_CLASSES_T2, withinPercentage(TOLERANCE));
            // KdLoss.divergence, which feature methods' kd-weight calls, takes the same form
            assertThat(KdLoss.divergence(student, teacher, 2, "at").getDouble())
                    .isCloseTo(TWO_CLASSES_T2, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testEqualHeatmapsGiveZeroWhateverTheRegressionChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[][][] heatmap = {{{0.5, -1.0, 3.0}}, {{2.0, 0.0, -4.0}}};
            NDArray student = output(manager, heatmap, 1.0);
            NDArray teacher = output(manager, heatmap, -7.0);
            assertThat(HeatmapKd.divergence(student, teacher, 1, "kd").getDouble()).isEqualTo(0.0);
        }
    }

    /** Method kd picks the Bernoulli form for detector outputs, at heatmap-temperature (default 1). */
    @Test
    void testKdMethodUsesTheHeatmapTemperature() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDArray student = output(manager, new double[][][] {{{0.0, 1.0}}}, 0.0);
            NDArray teacher = output(manager, new double[][][] {{{1.0, -1.0}}}, 0.0);
            DistillationLoss kd = context.create(ComponentKind.METHOD, "type = kd");
            assertThat(kd.distillationTerm(batch(manager, student, teacher)).getDouble())
                    .isCloseTo(ONE_CLASS_T1, withinPercentage(TOLERANCE));
            LossValue value = kd.compute(batch(manager, student, teacher));
            // L = 0.1·L_task + 0.9·D, with the batch's task loss 0.5
            assertThat(value.total().getDouble()).isCloseTo(0.05 + 0.9 * ONE_CLASS_T1, withinPercentage(TOLERANCE));

            DistillationLoss hot = context.create(ComponentKind.METHOD, "type = kd, heatmap-temperature = 2");
            assertThat(hot.distillationTerm(batch(manager, student, teacher)).getDouble())
                    .isNotCloseTo(ONE_CLASS_T1, withinPercentage(1.0));
        }
    }

    @Test
    void testGradientReachesTheStudentHeatmapOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = output(manager, new double[][][] {{{0.0, 1.0}}, {{-1.0, 0.5}}}, 0.3);
            NDArray teacher = output(manager, new double[][][] {{{1.0, -1.0}}, {{2.0, 0.0}}}, -2.0);
            student.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(HeatmapKd.divergence(student, teacher, 1, "kd"));
            }
            NDArray gradient = student.getGradient();
            NDArray heatmap = gradient.get(new NDIndex(":, 0:2"));
            NDArray regression = gradient.get(new NDIndex(":, 2:6"));
            assertThat(heatmap.abs().min().getDouble()).isGreaterThan(0.0);
            assertThat(regression.abs().max().getDouble()).isEqualTo(0.0);
            assertThat(teacher.hasGradient()).isFalse();
            // dD/dz_S = (σ(z_S) − σ(z_T))/(B·H'·W') at T = 1: location (0, 0) of class 0
            double expected = (sigmoid(0.0) - sigmoid(1.0)) / 2;
            assertThat(heatmap.getDouble(0, 0, 0, 0)).isCloseTo(expected, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testMismatchedClassesFail() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = output(manager, new double[][][] {{{0.0, 1.0}}}, 0.0);
            NDArray teacher = output(manager, new double[][][] {{{1.0, -1.0}}, {{0.0, 0.0}}}, 0.0);
            assertThatThrownBy(() -> HeatmapKd.divergence(student, teacher, 1, "kd"))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                    .hasMessageContaining("the teacher gives 2 classes")
                    .hasMessageContaining("the student 1");
            NDArray classifier = manager.create(new double[][] {{0.1, 0.2}});
            assertThatThrownBy(() -> HeatmapKd.divergence(student, classifier, 1, "kd"))
                    .hasMessageContaining("only between two detectors");
        }
    }

    @Test
    void testHeatmapTemperatureMustBePositive() {
        assertThatThrownBy(() -> KdSettings.from(ConfigFactory.parseString("heatmap-temperature = 0")
                        .withFallback(new KdFactory().getDefaults())))
                .hasMessage("Setting 'heatmap-temperature' of method 'kd' is '0'; it must be a number in (0, inf).");
        assertThat(KdSettings.from(new KdFactory().getDefaults()).heatmapTemperature()).isEqualTo(1.0);
    }

    /**
     * A detector output {@code (1, C + 4, 1, W)}: the heatmap logits {@code [class][row][column]},
     * then four regression channels filled with {@code regression}.
     */
    private static NDArray output(NDManager manager, double[][][] heatmap, double regression) {
        int classes = heatmap.length;
        int width = heatmap[0][0].length;
        double[] values = new double[(classes + 4) * width];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(heatmap[c][0], 0, values, c * width, width);
        }
        Arrays.fill(values, classes * width, values.length, regression);
        return manager.create(values, new Shape(1, classes + 4, 1, width));
    }

    private static DistillationBatch batch(NDManager manager, NDArray student, NDArray teacher) {
        return new DistillationBatch(manager, student, new NDList(), null, teacher, new NDList(), null,
                new NDList(), manager.create(0.5), null, new TrainingProgress(1, 1, 0),
                new ParameterStore(manager, false));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
