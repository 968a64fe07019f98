package org.fadkd.distill.method.contrastive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** crd's memory objective and in-batch objective on fad-spec §11.5's example, and the memory update. */
final class TestContrastiveMemory {
    private static final double TOLERANCE = 1e-7; // percent: 1e-9 relative

    private static final double[][] STUDENT = {{0.6, 0.8}, {0.8, -0.6}};
    private static final double[][] TEACHER = {{1, 0}, {0, -1}};
    private static final double[][] STUDENT_MEMORY = {{1, 0}, {0, 1}, {0.6, 0.8}, {-1, 0}};
    private static final double[][] TEACHER_MEMORY = {{0.8, 0.6}, {0, 1}, {0.6, -0.8}, {-0.6, 0.8}};

    @ParameterizedTest
    @EnumSource(ContrastiveMemory.Scoring.class)
    void testExample115Memory(ContrastiveMemory.Scoring scoring) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MemoryBanks banks = MemoryBanks.of(manager, manager.create(STUDENT_MEMORY), manager.create(TEACHER_MEMORY));
            ContrastiveMemory memory = new ContrastiveMemory(banks, 2, 0.5, 0.5, scoring);
            assertThat(memory.normalisers()).isNull();
            try (NDManager step = manager.newSubManager()) {
                // I = [[0, 1, 3], [2, 3, 1]] for id = [0, 2], injected instead of drawn
                ContrastiveMemory.Nce nce = memory.contrast(step.create(STUDENT), step.create(TEACHER),
                        new long[] {0, 2}, new long[] {0, 1, 3, 2, 3, 1});
                assertThat(memory.normalisers()[0]).isCloseTo(13.86228202, withinPercentage(TOLERANCE));
                assertThat(memory.normalisers()[1]).isCloseTo(6.574415456, withinPercentage(TOLERANCE));
                assertThat(nce.student().getDouble()).isCloseTo(1.115120908, withinPercentage(TOLERANCE));
                assertThat(nce.teacher().getDouble()).isCloseTo(1.91477697, withinPercentage(TOLERANCE));
                assertThat(nce.student().add(nce.teacher()).getDouble())
                        .isCloseTo(3.029897878, withinPercentage(TOLERANCE));
            }
            // The scores above used the memory before the update; rows 0 and 2 moved after it.
            assertRows(banks.student(), new double[][] {
                {0.894427191, 0.4472135955}, {0, 1}, {0.9899494937, 0.1414213562}, {-1, 0}});
            assertRows(banks.teacher(), new double[][] {
                {0.9486832981, 0.316227766}, {0, 1}, {0.316227766, -0.9486832981}, {-0.6, 0.8}});
        }
    }

    @Test
    void testExample115InBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray value = Contrast.inBatch(manager.create(STUDENT), manager.create(TEACHER), 0.5);
            assertThat(value.getDouble()).isCloseTo(0.9720480787, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testTheCheaperScoringFollowsTheRatioOfSamplesToNegatives() {
        assertThat(ContrastiveMemory.Scoring.cheaper(50_000, 16_384)).isEqualTo(ContrastiveMemory.Scoring.FULL);
        assertThat(ContrastiveMemory.Scoring.cheaper(1_281_167, 4096)).isEqualTo(ContrastiveMemory.Scoring.GATHER);
    }

    /** M[id_b] ← l2n(η·M[id_b] + (1 − η)·z_b) for the batch's rows, other rows untouched. */
    @ParameterizedTest
    @EnumSource(ContrastiveMemory.Scoring.class)
    void testMomentumUpdate(ContrastiveMemory.Scoring scoring) {
        Random random = new Random(11);
        double[][] studentMemory = unitRows(random, 6, 3);
        double[][] teacherMemory = unitRows(random, 6, 3);
        double[][] student = unitRows(random, 2, 3);
        double[][] teacher = unitRows(random, 2, 3);
        long[] ids = {4, 1};
        double momentum = 0.3;
        try (NDManager manager = NDManager.newBaseManager()) {
            MemoryBanks banks = MemoryBanks.of(manager, manager.create(studentMemory), manager.create(teacherMemory));
            ContrastiveMemory memory = new ContrastiveMemory(banks, 2, 0.07, momentum, scoring);
            try (NDManager step = manager.newSubManager()) {
                memory.contrast(step.create(student), step.create(teacher), ids, new long[] {4, 0, 2, 1, 3, 5});
            }
            assertRows(banks.student(), moved(studentMemory, student, ids, momentum));
            assertRows(banks.teacher(), moved(teacherMemory, teacher, ids, momentum));
        }
    }

    private static double[][] moved(double[][] memory, double[][] projections, long[] ids, double momentum) {
        double[][] expected = new double[memory.length][];
        for (int i = 0; i < memory.length; i++) {
            expected[i] = memory[i].clone();
        }
        for (int b = 0; b < ids.length; b++) {
            double[] row = expected[(int) ids[b]];
            for (int d = 0; d < row.length; d++) {
                row[d] = momentum * row[d] + (1 - momentum) * projections[b][d];
            }
            normalise(row);
        }
        return expected;
    }

    private static double[][] unitRows(Random random, int rows, int dim) {
        double[][] values = new double[rows][dim];
        for (double[] row : values) {
            for (int d = 0; d < dim; d++) {
                row[d] = random.nextGaussian();
            }
            normalise(row);
        }
        return values;
    }

    private static void normalise(double[] row) {
        double norm = 0;
        for (double value : row) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < row.length; d++) {
            row[d] /= norm;
        }
    }

    private static void assertRows(NDArray bank, double[][] expected) {
        double[] actual = bank.toDoubleArray();
        int dim = expected[0].length;
        for (int i = 0; i < expected.length; i++) {
            for (int d = 0; d < dim; d++) {
                double value = actual[i * dim + d];
                if (expected[i][d] == 0) {
                    assertThat(value).as("row %d, column %d", i, d).isEqualTo(0.0);
                } else {
                    assertThat(value).as("row %d, column %d", i, d).isCloseTo(expected[i][d], withinPercentage(TOLERANCE));
                }
            }
        }
    }
}
