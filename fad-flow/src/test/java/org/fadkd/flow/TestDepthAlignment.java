package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.junit.jupiter.api.Test;

final class TestDepthAlignment {
    /** 1e-9 relative, as a percentage. */
    private static final double TOLERANCE = 1e-7;
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double[] STUDENT = {0.7, 0.3, 0.5};

    @Test
    void testDistributionsExample31() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] p = DepthAlignment.distribution(manager.create(TEACHER), DepthDistribution.L1)
                    .toDoubleArray();
            double[] q = DepthAlignment.distribution(
                            DepthInterpolation.resample(manager.create(STUDENT), 5), DepthDistribution.L1)
                    .toDoubleArray();
            assertClose(p, 0.3461538433, 0.1538461547, 0.2307692302, 0.07692307929, 0.1923076925);
            assertClose(q, 0.2916666648, 0.2083333332, 0.1250000016, 0.1666666674, 0.2083333332);
        }
    }

    @Test
    void testDAlignExample31() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = manager.create(TEACHER);
            NDArray student = manager.create(STUDENT);
            assertThat(DepthAlignment.dAlign(teacher, student, DepthDistribution.L1).getDouble())
                    .isCloseTo(0.08068550919, withinPercentage(TOLERANCE));
            assertThat(DepthAlignment.dAlign(teacher, student, DepthDistribution.SOFTMAX).getDouble())
                    .isCloseTo(0.01619019521, withinPercentage(TOLERANCE));
            // Symmetric in its arguments.
            assertThat(DepthAlignment.dAlign(student, teacher, DepthDistribution.L1).getDouble())
                    .isCloseTo(0.08068550919, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testScalarAlignmentAndGradientExample31() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = manager.create(0.9);
            NDArray student = manager.create(0.5);
            student.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray alignment = DepthAlignment.scalarAlignment(teacher, student);
                assertThat(alignment.getDouble()).isCloseTo(0.1175573312, withinPercentage(TOLERANCE));
                collector.backward(alignment);
            }
            assertThat(student.getGradient().getDouble())
                    .isCloseTo(-0.69389332, withinPercentage(1e-6));
            assertThat(teacher.hasGradient()).isFalse();
        }
    }

    @Test
    void testScalarAlignmentIsZeroOnlyForEqualValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray values = manager.create(new double[] {0, 0.3, 1.7});
            assertThat(DepthAlignment.scalarAlignment(values, values).toDoubleArray())
                    .containsOnly(0.0);
            NDArray other = manager.create(new double[] {0.2, 0.1, 1.8});
            assertThat(Arrays.stream(DepthAlignment.scalarAlignment(values, other).toDoubleArray()).min().getAsDouble())
                    .isPositive();
        }
    }

    @Test
    void testDAlignIsNonNegativeAndZeroForIdenticalProfiles() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long seed = 0; seed < 8; seed++) {
                Random random = new Random(seed);
                double[] teacher = randomProfile(random, 1 + random.nextInt(12));
                double[] student = randomProfile(random, 1 + random.nextInt(12));
                for (DepthDistribution distribution : DepthDistribution.values()) {
                    NDArray t = manager.create(teacher);
                    assertThat(DepthAlignment.dAlign(t, manager.create(student), distribution).getDouble())
                            .as("seed %d, %s", seed, distribution)
                            .isGreaterThanOrEqualTo(0);
                    assertThat(DepthAlignment.dAlign(t, manager.create(teacher), distribution).getDouble())
                            .as("seed %d, %s", seed, distribution)
                            .isEqualTo(0);
                }
            }
        }
    }

    @Test
    void testDAlignAcrossTapCounts() {
        int[][] tapCounts = {{4, 4}, {12, 4}, {4, 12}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(42);
            for (int[] counts : tapCounts) {
                double[] teacher = randomProfile(random, counts[0] - 1);
                double[] student = randomProfile(random, counts[1] - 1);
                double value = DepthAlignment.dAlign(
                                manager.create(teacher), manager.create(student), DepthDistribution.L1)
                        .getDouble();
                assertThat(value).as("taps %d, %d", counts[0], counts[1]).isFinite().isPositive();
                // Interpolation of the shorter profile onto the longer grid reproduces a host-side
                // computation.
                int grid = DepthInterpolation.commonGridSize(teacher.length, student.length);
                double expected = hostDAlign(
                        DepthInterpolation.resample(teacher, grid),
                        DepthInterpolation.resample(student, grid));
                assertThat(value).isCloseTo(expected, withinPercentage(TOLERANCE));
            }
        }
    }

    private static double hostDAlign(double[] teacher, double[] student) {
        double[] p = l1(teacher);
        double[] q = l1(student);
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            sum += (p[j] - q[j]) * (Math.log(p[j] + 1e-8) - Math.log(q[j] + 1e-8));
        }
        return sum / 2;
    }

    private static double[] l1(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value + 1e-8;
        }
        double[] result = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            result[j] = (values[j] + 1e-8) / total;
        }
        return result;
    }

    private static double[] randomProfile(Random random, int length) {
        double[] profile = new double[length];
        for (int k = 0; k < length; k++) {
            profile[k] = random.nextDouble();
        }
        return profile;
    }

    private static void assertClose(double[] actual, double... expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], withinPercentage(TOLERANCE));
        }
    }
}
