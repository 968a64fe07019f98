package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;

import static org.fadkd.vision.detection.task.TestingDetections.heatmapFilled;
import static org.fadkd.vision.detection.task.TestingDetections.labels;
import static org.fadkd.vision.detection.task.TestingDetections.output;
import static org.fadkd.vision.detection.task.TestingDetections.set;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the evaluator hands its scorer: each image's decoded detections and its ground truth without padding. */
final class TestDetectionEvaluator {
    /** Records what it is given; its one result counts the images. */
    private static final class RecordingScorer implements DetectionScorer {
        final List<ImageDetections> detections = new ArrayList<>();
        final List<ImageGroundTruth> truths = new ArrayList<>();

        @Override
        public void add(ImageDetections imageDetections, ImageGroundTruth groundTruth) {
            detections.add(imageDetections);
            truths.add(groundTruth);
        }

        @Override
        public Map<String, Double> result() {
            Map<String, Double> result = new LinkedHashMap<>();
            result.put("images", (double) truths.size());
            return result;
        }
    }

    @Test
    void testImagesReachTheScorerOneByOne() {
        RecordingScorer scorer = new RecordingScorer();
        DetectionTask task = new DetectionTask(new DetectionSettings(0.1, 1, 3), () -> scorer);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] values = heatmapFilled(2, 2, 4, 4, -5);
            set(values, 2, 4, 4, 1, 1, 2, 2, 4); // image 1, class 1, a clear peak at (2, 2)
            DetectionEvaluator evaluator = (DetectionEvaluator) task.newEvaluator();
            evaluator.update(output(manager, values, 2, 2, 4, 4), labels(manager,
                    new double[][] {{1, 2, 3, 4, 0, 0}},
                    new double[][] {{8, 8, 12, 12, 1, 0}, {0, 0, 16, 16, 0, 1}}));
            assertThat(evaluator.getResults()).containsExactly(Map.entry("images", 2.0));
        }
        assertThat(scorer.truths.get(0).boxes()).containsExactly(1, 2, 3, 4);
        assertThat(scorer.truths.get(0).classes()).containsExactly(0);
        assertThat(scorer.truths.get(0).ignored()).containsExactly(false);
        assertThat(scorer.truths.get(1).boxes()).containsExactly(8, 8, 12, 12, 0, 0, 16, 16);
        assertThat(scorer.truths.get(1).classes()).containsExactly(1, 0);
        assertThat(scorer.truths.get(1).ignored()).containsExactly(false, true);
        // at most max-detections = 3 per image; image 1's best is its peak
        assertThat(scorer.detections).allSatisfy(image -> assertThat(image.count()).isEqualTo(3));
        assertThat(scorer.detections.get(1).classes()[0]).isEqualTo(1);
        assertThat(scorer.detections.get(1).boxes()).startsWith(8f, 8f, 8f, 8f);
    }

    @Test
    void testThePrimaryMetricIsMap() {
        assertThat(new DetectionTask(new DetectionSettings(0.1, 1, 100), RecordingScorer::new).getPrimaryMetric())
                .isEqualTo("map");
    }
}
