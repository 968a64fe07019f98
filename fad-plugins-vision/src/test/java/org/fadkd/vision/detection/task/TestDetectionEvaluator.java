package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import static org.fadkd.vision.detection.task.TestingDetections.heatmapFilled;
import static org.fadkd.vision.detection.task.TestingDetections.labels;
import static org.fadkd.vision.detection.task.TestingDetections.logit;
import static org.fadkd.vision.detection.task.TestingDetections.output;
import static org.fadkd.vision.detection.task.TestingDetections.set;

import ai.djl.ndarray.NDManager;

import org.fadkd.api.TaskEvaluator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

/**
 * The evaluator's mAP on hand-made detector outputs: fad-spec §12's mAP example, reached through
 * decoding. Two classes on a 16×16 map (R = 4, 64-pixel input), background logit −10:
 * <ul>
 *   <li>image 0: class-0 objects (0, 0, 10, 10) and (20, 20, 30, 30); peaks 0.9 at cell (1, 1)
 *       decoding to (1, 1, 10, 10), 0.8 at (13, 13) to (50, 50, 60, 60) and 0.7 at (6, 6) to (20,
 *       21.2, 30, 30): the spec's example, AP@0.5 = 0.8349834983, mAP@[.5:.95] = 0.601320132;
 *   <li>image 1: one ignored class-0 object (a padded slot beside it) and no peak: its detections
 *       are background cells of zero size, false positives ranked below every real one, which
 *       leave the AP as it was. Were the ignored object counted, recall would stop at 2/3.
 * </ul>
 * Class 1 has no ground truth, so it is left out of the means.
 */
final class TestDetectionEvaluator {
    private static final int CLASSES = 2;
    private static final int SIDE = 16;
    private static final double SPEC_MAP50 = 0.8349834983;
    private static final double SPEC_MAP = 0.601320132;

    /** Sets a class-0 peak of image {@code b} at cell (y, x) with its size and offset, in cells. */
    private static void peak(double[] values, int b, int y, int x, double score, double width, double height,
            double offsetX, double offsetY) {
        set(values, CLASSES, SIDE, SIDE, b, 0, y, x, logit(score));
        set(values, CLASSES, SIDE, SIDE, b, CLASSES, y, x, width);
        set(values, CLASSES, SIDE, SIDE, b, CLASSES + 1, y, x, height);
        set(values, CLASSES, SIDE, SIDE, b, CLASSES + 2, y, x, offsetX);
        set(values, CLASSES, SIDE, SIDE, b, CLASSES + 3, y, x, offsetY);
    }

    private static double[] specExampleOutputs() {
        double[] values = heatmapFilled(2, CLASSES, SIDE, SIDE, -10);
        // box = (p + offset ± size/2)·4
        peak(values, 0, 1, 1, 0.9, 9 / 4.0, 9 / 4.0, 0.375, 0.375); // (1, 1, 10, 10)
        peak(values, 0, 13, 13, 0.8, 2.5, 2.5, 0.75, 0.75); // (50, 50, 60, 60)
        peak(values, 0, 6, 6, 0.7, 2.5, 8.8 / 4, 0.25, 0.4); // (20, 21.2, 30, 30)
        return values;
    }

    @Test
    void testSpecExampleThroughDecoding() {
        DetectionTask task = new DetectionTask(new DetectionSettings(0.1, 1, 3));
        Map<String, Double> results;
        try (NDManager manager = NDManager.newBaseManager()) {
            TaskEvaluator evaluator = task.newEvaluator();
            evaluator.update(output(manager, specExampleOutputs(), 2, CLASSES, SIDE, SIDE), labels(manager,
                    new double[][] {{0, 0, 10, 10, 0, 0}, {20, 20, 30, 30, 0, 0}},
                    new double[][] {{0, 0, 64, 64, 0, 1}}));
            results = evaluator.getResults();
        }
        assertThat(results).containsOnlyKeys("map", "map50", "map75");
        assertThat(results.get("map50")).isCloseTo(SPEC_MAP50, withinPercentage(1e-7));
        // AP at 0.75 equals AP at 0.5: both IoUs, 0.81 and 0.88, pass 0.80
        assertThat(results.get("map75")).isCloseTo(SPEC_MAP50, withinPercentage(1e-7));
        assertThat(results.get("map")).isCloseTo(SPEC_MAP, withinPercentage(1e-7));
        assertThat(task.getPrimaryMetric()).isEqualTo("map");
    }

    @Test
    void testBatchesAccumulate() {
        // the same two images, one per batch, score as they do in one batch
        DetectionTask task = new DetectionTask(new DetectionSettings(0.1, 1, 3));
        double[] both = specExampleOutputs();
        int image = both.length / 2;
        double[] first = Arrays.copyOfRange(both, 0, image);
        double[] second = Arrays.copyOfRange(both, image, both.length);
        try (NDManager manager = NDManager.newBaseManager()) {
            TaskEvaluator evaluator = task.newEvaluator();
            evaluator.update(output(manager, first, 1, CLASSES, SIDE, SIDE),
                    labels(manager, new double[][] {{0, 0, 10, 10, 0, 0}, {20, 20, 30, 30, 0, 0}}));
            evaluator.update(output(manager, second, 1, CLASSES, SIDE, SIDE),
                    labels(manager, new double[][] {{0, 0, 64, 64, 0, 1}}));
            assertThat(evaluator.getResults().get("map")).isCloseTo(SPEC_MAP, withinPercentage(1e-7));
        }
    }

    @Test
    void testNothingToMeasureIsNaN() {
        Map<String, Double> results = new DetectionTask(new DetectionSettings(0.1, 1, 3)).newEvaluator().getResults();
        assertThat(results).containsOnlyKeys("map", "map50", "map75");
        assertThat(results.values()).allSatisfy(value -> assertThat(value).isNaN());
    }
}
