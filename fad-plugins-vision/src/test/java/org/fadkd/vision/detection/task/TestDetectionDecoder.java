package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import static org.fadkd.vision.detection.task.TestingDetections.heatmapFilled;
import static org.fadkd.vision.detection.task.TestingDetections.output;
import static org.fadkd.vision.detection.task.TestingDetections.set;

import ai.djl.ndarray.NDManager;

import org.fadkd.vision.detection.metrics.ImageDetections;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

/**
 * Decoding (fad-spec §12) on a hand-made 2-class 4×4 heatmap (R = 4), background logit −5:
 * <ul>
 *   <li>class 0: a peak 2 at (y 1, x 1) with a lower neighbour 1 at (1, 2), which the 3×3 maximum
 *       suppresses, and a peak 0.5 at (3, 3);
 *   <li>class 1: a peak 3 at (0, 3) and a plateau of two equal cells 1.5 at (3, 0) and (3, 1), both
 *       kept since both equal their neighbourhood's maximum, the lower index first.
 * </ul>
 */
final class TestDetectionDecoder {
    private static final int CLASSES = 2;
    private static final int SIDE = 4;

    private static double[] heatmap() {
        double[] values = heatmapFilled(1, CLASSES, SIDE, SIDE, -5);
        set(values, CLASSES, SIDE, SIDE, 0, 0, 1, 1, 2);
        set(values, CLASSES, SIDE, SIDE, 0, 0, 1, 2, 1);
        set(values, CLASSES, SIDE, SIDE, 0, 0, 3, 3, 0.5);
        set(values, CLASSES, SIDE, SIDE, 0, 1, 0, 3, 3);
        set(values, CLASSES, SIDE, SIDE, 0, 1, 3, 0, 1.5);
        set(values, CLASSES, SIDE, SIDE, 0, 1, 3, 1, 1.5);
        // size (2, 4) and offset (0.5, 0.25) at (1, 1): centre (1.5, 1.25) cells
        set(values, CLASSES, SIDE, SIDE, 0, 2, 1, 1, 2);
        set(values, CLASSES, SIDE, SIDE, 0, 3, 1, 1, 4);
        set(values, CLASSES, SIDE, SIDE, 0, 4, 1, 1, 0.5);
        set(values, CLASSES, SIDE, SIDE, 0, 5, 1, 1, 0.25);
        return values;
    }

    @Test
    void testTopKPeaksWithTheirBoxes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ImageDetections> images =
                    DetectionDecoder.decode(output(manager, heatmap(), 1, CLASSES, SIDE, SIDE), 4);
            assertThat(images).hasSize(1);
            ImageDetections detections = images.get(0);
            assertThat(detections.classes()).containsExactly(1, 0, 1, 1);
            assertThat(detections.scores()).containsExactly(
                    new double[] {sigmoid(3), sigmoid(2), sigmoid(1.5), sigmoid(1.5)}, within(1e-7));
            // (p + Ô ± Ŝ/2)·R = ((1.5, 1.25) ± (1, 2))·4
            assertThat(detections.boxes()).startsWith(12, 0, 12, 0);
            assertThat(Arrays.copyOfRange(detections.boxes(), 4, 8))
                    .containsExactly(new double[] {2, -3, 10, 13}, within(1e-6));
            // the plateau: (3, 0) before (3, 1); zero size and offset put the box on the cell corner
            assertThat(Arrays.copyOfRange(detections.boxes(), 8, 16))
                    .containsExactly(0, 12, 0, 12, 4, 12, 4, 12);
        }
    }

    @Test
    void testSuppressedNeighboursStayOutAndKLimitsTheCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageDetections five = DetectionDecoder.decode(output(manager, heatmap(), 1, CLASSES, SIDE, SIDE), 5).get(0);
            assertThat(five.size()).isEqualTo(5);
            // the fifth is the small peak 0.5, not the suppressed neighbour 1 at (1, 2)
            assertThat(five.scores()[4]).isCloseTo(sigmoid(0.5), within(1e-7));
            assertThat(five.classes()[4]).isEqualTo(0);
            ImageDetections one = DetectionDecoder.decode(output(manager, heatmap(), 1, CLASSES, SIDE, SIDE), 1).get(0);
            assertThat(one.classes()).containsExactly(1);
            // every cell of both maps that equals its neighbourhood's maximum, and no more
            ImageDetections all = DetectionDecoder.decode(output(manager, heatmap(), 1, CLASSES, SIDE, SIDE), 100).get(0);
            assertThat(all.size()).isEqualTo(5 + backgroundPeaks());
        }
    }

    /**
     * Background cells (−5) without a raised cell in their 3×3 neighbourhood, counted by hand: class
     * 0 has (3, 0) and (3, 1); class 1 has (0, 0), (0, 1), (1, 0), (1, 1), (2, 3) and (3, 3).
     */
    private static int backgroundPeaks() {
        return 2 + 6;
    }

    private static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
