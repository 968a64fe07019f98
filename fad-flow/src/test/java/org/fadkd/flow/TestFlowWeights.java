package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.fadkd.flow.FlowWeights.OmegaNormalisation;
import org.junit.jupiter.api.Test;

final class TestFlowWeights {
    private static final double TOLERANCE = 1e-7;
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};

    @Test
    void testLayerWeightsExample41() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weights = FlowWeights.layerWeights(manager.create(TEACHER), 5, FlowWeights.DEFAULT_LAMBDA);
            assertThat(weights.getDataType()).isEqualTo(DataType.FLOAT64);
            assertClose(weights.toDoubleArray(),
                    0.299145299, 0.1756021757, 0.1926961925, 0.1080031081, 0.2245532247);
        }
    }

    @Test
    void testDepthWeightsExample41() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] omega = FlowWeights.depthWeights(
                            manager.create(TEACHER), FlowWeights.DEFAULT_OMEGA_ALPHA, OmegaNormalisation.MEAN)
                    .toDoubleArray();
            assertClose(omega, 1.267605632, 0.9154929583, 1.056338028, 0.7746478889, 0.9859154931);
            assertThat(FlowWeights.omegaAt(omega, 0.3)).isCloseTo(0.9436619722, withinPercentage(TOLERANCE));
            double[] grid = DepthInterpolation.resample(omega, 100);
            double integral = 0;
            for (int i = 0; i < grid.length; i++) {
                integral += (i == 0 || i == grid.length - 1 ? 0.5 : 1) * grid[i] / 99;
            }
            assertThat(integral).isCloseTo(0.9683260262, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testSumNormalisationDividesByTeacherPoints() {
        double[] mean = FlowWeights.depthWeights(TEACHER, 0.5, OmegaNormalisation.MEAN);
        double[] sum = FlowWeights.depthWeights(TEACHER, 0.5, OmegaNormalisation.SUM);
        for (int k = 0; k < TEACHER.length; k++) {
            assertThat(sum[k]).isCloseTo(mean[k] / TEACHER.length, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testLayerWeightsEdgeCases() {
        assertThat(FlowWeights.layerWeights(new double[] {0.4}, 1, 0.1)).containsExactly(1.0);
        // A flat zero profile carries no information: uniform weights.
        assertThat(FlowWeights.layerWeights(new double[] {0, 0, 0, 0}, 4, 0.1))
                .containsOnly(0.25);
        // A steep fall makes some raw weights negative; they are shifted, never negative.
        double[] weights = FlowWeights.layerWeights(new double[] {0.1, 5, 0.1, 0.1}, 4, 10);
        assertThat(Arrays.stream(weights).min().getAsDouble()).isNotNegative();
        assertThat(weights[0] + weights[1] + weights[2] + weights[3]).isCloseTo(1, withinPercentage(TOLERANCE));
    }

    private static void assertClose(double[] actual, double... expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], withinPercentage(TOLERANCE));
        }
    }
}
