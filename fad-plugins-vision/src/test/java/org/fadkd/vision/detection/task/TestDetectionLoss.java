package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import static org.fadkd.vision.detection.task.TestingDetections.filled;
import static org.fadkd.vision.detection.task.TestingDetections.labels;
import static org.fadkd.vision.detection.task.TestingDetections.logit;
import static org.fadkd.vision.detection.task.TestingDetections.output;
import static org.fadkd.vision.detection.task.TestingDetections.set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

/** Targets and {@code L_det} of task detection against fad-spec §12's example and hand counts. */
final class TestDetectionLoss {
    private static final double TOLERANCE = 1e-7;
    private static final DetectionTask TASK = new DetectionTask(new DetectionSettings(0.1, 1, 100));

    /**
     * fad-spec §12: 1 class on 3×3 cells, one object with c = (1.5, 1.5) and s = (3, 3), i.e. the
     * box (0, 0, 12, 12) at R = 4.
     */
    @Test
    void testSpecExampleTargets() {
        HeatmapTargets targets = HeatmapTargets.of(new float[] {0, 0, 12, 12}, new long[] {0}, new long[] {0}, 1, 1,
                3, 3, 4);
        double side = 0.001050267314;
        double corner = 1.103061431e-06;
        double[] expected = {corner, side, corner, side, 1, side, corner, side, corner};
        for (int cell = 0; cell < 9; cell++) {
            assertThat(targets.heatmap[cell]).as("cell " + cell).isCloseTo(expected[cell], withinPercentage(1e-7));
        }
        assertThat(targets.objects).isEqualTo(1);
        // size (3, 3) and offset (0.5, 0.5), read at the centre cell 4 of channels 1 to 4
        assertThat(targets.regressionTargets).containsExactly(3, 3, 0.5, 0.5);
        assertThat(targets.regressionIndices).containsExactly(13, 22, 31, 40);
    }

    /** fad-spec §12: with Ŷ = 0.6 at the centre and 0.1 elsewhere, L_hm = 0.09014324526. */
    @Test
    void testSpecExampleHeatmapLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] values = filled(1, 1, 3, 3, logit(0.1));
            set(values, 1, 3, 3, 0, 0, 1, 1, logit(0.6));
            // a perfect size (3, 3) and offset (0.5, 0.5) at the centre: L_det = L_hm
            set(values, 1, 3, 3, 0, 1, 1, 1, 3);
            set(values, 1, 3, 3, 0, 2, 1, 1, 3);
            set(values, 1, 3, 3, 0, 3, 1, 1, 0.5);
            set(values, 1, 3, 3, 0, 4, 1, 1, 0.5);
            NDArray output = output(manager, values, 1, 1, 3, 3);
            DetectionTask.LossTerms terms = TASK.lossTerms(output, labels(manager, new double[][] {{0, 0, 12, 12, 0, 0}}));
            assertThat(terms.heatmap().getDouble()).isCloseTo(0.09014324526, withinPercentage(TOLERANCE));
            assertThat(terms.size().getDouble()).isEqualTo(0.0);
            assertThat(terms.offset().getDouble()).isEqualTo(0.0);
            assertThat(TASK.loss(output, labels(manager, new double[][] {{0, 0, 12, 12, 0, 0}})).getDouble())
                    .isCloseTo(0.09014324526, withinPercentage(TOLERANCE));
        }
    }

    /**
     * Two images, 2 classes, 4×4 cells (16×16 pixels). Image 0: box (2, 2, 10, 6) of class 1, so c
     * = (1.5, 1), p = (1, 1), s = (2, 1), offset (0.5, 0). Image 1: box (8, 4, 16, 16) of class 0,
     * so c = (3, 2.5), p = (3, 2), s = (2, 3), offset (0, 0.5); and an ignored object of class 1.
     * Predictions are 0 except at the two centre cells: size (2.5, 1) and offset (0.25, 0) for
     * image 0, size (2, 2) and offset (0, 1) for image 1. N = 2:
     * L_size = (0.5 + 0 + 0 + 1)/2 = 0.75, L_off = (0.25 + 0 + 0 + 0.5)/2 = 0.375.
     */
    @Test
    void testSizeAndOffsetL1ByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] values = filled(2, 2, 4, 4, 0);
            set(values, 2, 4, 4, 0, 2, 1, 1, 2.5);
            set(values, 2, 4, 4, 0, 3, 1, 1, 1);
            set(values, 2, 4, 4, 0, 4, 1, 1, 0.25);
            set(values, 2, 4, 4, 0, 5, 1, 1, 0);
            set(values, 2, 4, 4, 1, 2, 2, 3, 2);
            set(values, 2, 4, 4, 1, 3, 2, 3, 2);
            set(values, 2, 4, 4, 1, 4, 2, 3, 0);
            set(values, 2, 4, 4, 1, 5, 2, 3, 1);
            NDList truth = labels(manager,
                    new double[][] {{2, 2, 10, 6, 1, 0}},
                    new double[][] {{8, 4, 16, 16, 0, 0}, {0, 0, 8, 8, 1, 1}});
            DetectionTask.LossTerms terms = TASK.lossTerms(output(manager, values, 2, 2, 4, 4), truth);
            assertThat(terms.size().getDouble()).isCloseTo(0.75, withinPercentage(TOLERANCE));
            assertThat(terms.offset().getDouble()).isCloseTo(0.375, withinPercentage(TOLERANCE));
            assertThat(terms.total().getDouble())
                    .isCloseTo(terms.heatmap().getDouble() + 0.1 * 0.75 + 0.375, withinPercentage(TOLERANCE));
        }
    }

    /** Padding and ignored objects put nothing on the heatmap and are not counted in N. */
    @Test
    void testIgnoredObjectsAreLeftOut() {
        HeatmapTargets targets = HeatmapTargets.of(
                new float[] {8, 4, 16, 16, 0, 0, 8, 8, 0, 0, 0, 0},
                new long[] {0, 1, -1}, new long[] {0, 1, 0}, 1, 2, 4, 4, 4);
        assertThat(targets.objects).isEqualTo(1);
        for (int cell = 16; cell < 32; cell++) {
            assertThat(targets.heatmap[cell]).as("class 1, cell " + (cell - 16)).isEqualTo(0.0);
        }
        assertThat(targets.heatmap[2 * 4 + 3]).isEqualTo(1.0);
    }

    /** The larger of two overlapping Gaussians of the same class wins, cell by cell. */
    @Test
    void testOverlappingObjectsTakeTheMaximum() {
        HeatmapTargets targets = HeatmapTargets.of(new float[] {0, 0, 8, 8, 0, 0, 24, 24}, new long[] {0, 0},
                new long[] {0, 0}, 1, 1, 6, 6, 4);
        HeatmapTargets small = HeatmapTargets.of(new float[] {0, 0, 8, 8}, new long[] {0}, new long[] {0}, 1, 1, 6, 6, 4);
        HeatmapTargets large = HeatmapTargets.of(new float[] {0, 0, 24, 24}, new long[] {0}, new long[] {0}, 1, 1, 6, 6, 4);
        for (int cell = 0; cell < 36; cell++) {
            assertThat(targets.heatmap[cell]).isEqualTo(Math.max(small.heatmap[cell], large.heatmap[cell]));
        }
        assertThat(targets.objects).isEqualTo(2);
    }

    /** Without objects N = 1: L_hm is the negatives' term alone, size and offset are 0. */
    @Test
    void testAnImageWithoutObjects() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray output = output(manager, filled(1, 1, 2, 2, logit(0.1)), 1, 1, 2, 2);
            DetectionTask.LossTerms terms = TASK.lossTerms(output, labels(manager, new double[][] {}));
            // −4 · 0.1² · ln 0.9
            assertThat(terms.heatmap().getDouble()).isCloseTo(-4 * 0.01 * Math.log(0.9), withinPercentage(TOLERANCE));
            assertThat(terms.size().getDouble()).isEqualTo(0.0);
        }
    }

    @Test
    void testAClassTheModelDoesNotPredictFails() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray output = output(manager, filled(1, 2, 2, 2, 0), 1, 2, 2, 2);
            assertThatThrownBy(() -> TASK.loss(output, labels(manager, new double[][] {{0, 0, 4, 4, 2, 0}})))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS))
                    .hasMessageContaining("class 2 for object 0 of image 0")
                    .hasMessageContaining("predicts 2 classes");
        }
    }

    @Test
    void testAClassifierOutputIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[][] {{0.1f, 0.2f}});
            assertThatThrownBy(() -> TASK.loss(logits, labels(manager, new double[][] {{0, 0, 4, 4, 0, 0}})))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("needs a detector's output (B, C + 4, H', W'), got (1, 2)")
                    .hasMessageContaining("architecture 'centernet'");
        }
    }
}
