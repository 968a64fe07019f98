package org.fadkd.vision.detection.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.fadkd.vision.detection.metrics.MeanAveragePrecision.IgnoredOverlap;
import org.junit.jupiter.api.Test;

final class TestMeanAveragePrecision {
    /** fad-spec §12's example: one class, one image, two objects, three detections. */
    @Test
    void testSpecExample() {
        MeanAveragePrecision map = new MeanAveragePrecision(1);
        map.add(detections(new double[] {1, 1, 10, 10, 50, 50, 60, 60, 20, 21.2, 30, 30},
                        new double[] {0.9, 0.8, 0.7}, new int[] {0, 0, 0}),
                truth(new double[] {0, 0, 10, 10, 20, 20, 30, 30}, new int[] {0, 0}, new boolean[2]));

        DetectionScores scores = map.compute();

        assertThat(scores.map50()).isCloseTo(0.8349834983, withinPercentage(1e-7));
        for (int t = 0; t <= 6; t++) { // 0.50 .. 0.80: both true positives still match
            assertThat(scores.averagePrecision()[t][0]).isCloseTo(0.8349834983, withinPercentage(1e-7));
        }
        assertThat(scores.averagePrecision()[7][0]).isCloseTo(0.1683168317, withinPercentage(1e-7));
        assertThat(scores.averagePrecision()[8][0]).isZero();
        assertThat(scores.averagePrecision()[9][0]).isZero();
        assertThat(scores.map()).isCloseTo(0.601320132, withinPercentage(1e-7));
        assertThat(scores.classAp(0)).isEqualTo(scores.map());
    }

    @Test
    void testEqualScoresKeepTheOrderTheyWereGiven() {
        // one object; a false positive and a true positive with the same score
        double[] boxes = {50, 50, 60, 60, 0, 0, 10, 10};
        ImageGroundTruth object = truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[1]);
        MeanAveragePrecision falseFirst = new MeanAveragePrecision(1);
        falseFirst.add(detections(boxes, new double[] {0.5, 0.5}, new int[] {0, 0}), object);
        // ranks FP, TP: precision (0, 1/2) made (1/2, 1/2); every recall point reads 1/2
        assertThat(falseFirst.compute().map50()).isEqualTo(0.5);

        double[] swapped = {0, 0, 10, 10, 50, 50, 60, 60};
        MeanAveragePrecision trueFirst = new MeanAveragePrecision(1);
        trueFirst.add(detections(swapped, new double[] {0.5, 0.5}, new int[] {0, 0}), object);
        assertThat(trueFirst.compute().map50()).isEqualTo(1.0);
    }

    @Test
    void testEqualScoresAcrossImagesKeepTheImagesOrder() {
        ImageGroundTruth object = truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[1]);
        ImageDetections hit = detections(new double[] {0, 0, 10, 10}, new double[] {0.5}, new int[] {0});
        ImageDetections miss = detections(new double[] {50, 50, 60, 60}, new double[] {0.5}, new int[] {0});
        MeanAveragePrecision missFirst = new MeanAveragePrecision(1);
        missFirst.add(miss, ImageGroundTruth.none());
        missFirst.add(hit, object);
        assertThat(missFirst.compute().map50()).isEqualTo(0.5);
        MeanAveragePrecision hitFirst = new MeanAveragePrecision(1);
        hitFirst.add(hit, object);
        hitFirst.add(miss, ImageGroundTruth.none());
        assertThat(hitFirst.compute().map50()).isEqualTo(1.0);
    }

    @Test
    void testCrowdIsNoPositiveAndAbsorbsTheDetectionsInsideIt() {
        // an object and a crowd box; two detections inside the crowd, one on the object, one elsewhere
        ImageGroundTruth truth = truth(new double[] {0, 0, 10, 10, 20, 0, 60, 40}, new int[] {0, 0},
                new boolean[] {false, true});
        ImageDetections detections = detections(
                new double[] {22, 2, 30, 10, 0, 0, 10, 10, 40, 20, 50, 30, 70, 70, 80, 80},
                new double[] {0.9, 0.8, 0.7, 0.6}, new int[] {0, 0, 0, 0});

        MeanAveragePrecision coco = new MeanAveragePrecision(1);
        coco.add(detections, truth);
        // both crowd detections ignored (intersection over their own area is 1): ranks TP, FP -> AP 1
        assertThat(coco.compute().map50()).isEqualTo(1.0);
        assertThat(coco.compute().map()).isEqualTo(1.0);

        MeanAveragePrecision voc = new MeanAveragePrecision(1, 100, IgnoredOverlap.INTERSECTION_OVER_UNION);
        voc.add(detections, truth);
        // with plain IoU (0.04, 0.0625) they are false positives: FP, TP, FP, FP -> precision 1/2 at recall 1
        assertThat(voc.compute().map50()).isEqualTo(0.5);
    }

    @Test
    void testAnObjectPreferredToACrowdItLiesIn() {
        // the object lies inside the crowd box; the first detection must take the object, the second the crowd
        ImageGroundTruth truth = truth(new double[] {20, 0, 60, 40, 20, 0, 30, 10}, new int[] {0, 0},
                new boolean[] {true, false});
        ImageDetections detections = detections(new double[] {20, 0, 30, 10, 20, 0, 30, 10, 45, 25, 55, 35},
                new double[] {0.9, 0.8, 0.7}, new int[] {0, 0, 0});
        MeanAveragePrecision map = new MeanAveragePrecision(1, 100, IgnoredOverlap.INTERSECTION_OVER_UNION);
        map.add(detections, truth);
        // 0.9: TP (IoU 1 with the object, not 0.0625 with the crowd); 0.8: the object is taken and plain
        // IoU with the crowd is 0.0625, so FP; 0.7: FP. Ranks TP, FP, FP -> AP 1
        assertThat(map.compute().map50()).isEqualTo(1.0);
        MeanAveragePrecision crowd = new MeanAveragePrecision(1);
        crowd.add(detections, truth);
        assertThat(crowd.compute().map50()).isEqualTo(1.0);
    }

    @Test
    void testImagesWithoutGroundTruthOnlyAddFalsePositives() {
        MeanAveragePrecision map = new MeanAveragePrecision(1);
        map.add(detections(new double[] {0, 0, 10, 10}, new double[] {0.9}, new int[] {0}),
                truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[1]));
        map.add(detections(new double[] {5, 5, 8, 8}, new double[] {0.95}, new int[] {0}), ImageGroundTruth.none());
        map.add(ImageDetections.none(), ImageGroundTruth.none());
        // FP (0.95), TP (0.9): precision (0, 1/2) -> (1/2, 1/2)
        assertThat(map.compute().map50()).isEqualTo(0.5);
        assertThat(map.imageCount()).isEqualTo(3);
    }

    @Test
    void testClassesWithoutDetectionsScoreZeroAndClassesWithoutObjectsAreLeftOut() {
        MeanAveragePrecision map = new MeanAveragePrecision(3);
        // class 0 found exactly; class 1 has an object and no detection; class 2 only a detection
        map.add(detections(new double[] {0, 0, 10, 10, 30, 30, 40, 40}, new double[] {0.9, 0.8}, new int[] {0, 2}),
                truth(new double[] {0, 0, 10, 10, 50, 50, 70, 70}, new int[] {0, 1}, new boolean[2]));

        DetectionScores scores = map.compute();

        assertThat(scores.classAp50(0)).isEqualTo(1.0);
        assertThat(scores.classAp50(1)).isZero();
        assertThat(scores.classAp50(2)).isNaN();
        assertThat(scores.scoredClassCount()).isEqualTo(2);
        assertThat(scores.map50()).isEqualTo(0.5);
        assertThat(scores.map()).isEqualTo(0.5);
    }

    @Test
    void testOnlyClassesWithIgnoredObjectsHaveNoScore() {
        MeanAveragePrecision map = new MeanAveragePrecision(1);
        map.add(detections(new double[] {0, 0, 10, 10}, new double[] {0.9}, new int[] {0}),
                truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[] {true}));
        assertThat(map.compute().map50()).isNaN();
        assertThat(map.compute().scoredClassCount()).isZero();
    }

    @Test
    void testAtMostMaxDetectionsPerImageByScore() {
        // the true positive has the lower score: with a cap of 1 it is dropped
        ImageDetections detections = detections(new double[] {0, 0, 10, 10, 50, 50, 60, 60},
                new double[] {0.4, 0.6}, new int[] {0, 0});
        ImageGroundTruth truth = truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[1]);
        MeanAveragePrecision capped = new MeanAveragePrecision(1, 1, IgnoredOverlap.INTERSECTION_OVER_DETECTION);
        capped.add(detections, truth);
        assertThat(capped.compute().map50()).isZero();
        MeanAveragePrecision uncapped = new MeanAveragePrecision(1);
        uncapped.add(detections, truth);
        assertThat(uncapped.compute().map50()).isEqualTo(0.5);
    }

    @Test
    void testAnObjectMatchesOneDetectionOnly() {
        // two detections on one object: the higher-scored one is the true positive, the other a duplicate
        MeanAveragePrecision map = new MeanAveragePrecision(1);
        map.add(detections(new double[] {0, 0, 10, 10, 0, 0, 10, 9.2}, new double[] {0.7, 0.9}, new int[] {0, 0}),
                truth(new double[] {0, 0, 10, 10}, new int[] {0}, new boolean[1]));
        // 0.9 (IoU 0.92) TP, 0.7 FP: AP 1 at IoU <= 0.90, and 1/2 at 0.95 (0.9 misses, then 0.7 matches: FP, TP)
        DetectionScores scores = map.compute();
        assertThat(scores.averagePrecision()[8][0]).isEqualTo(1.0);
        assertThat(scores.averagePrecision()[9][0]).isEqualTo(0.5);
    }

    @Test
    void testRejectsMismatchedArraysAndUnknownClasses() {
        assertThatThrownBy(() -> new ImageDetections(new double[4], new double[2], new int[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 box values");
        assertThatThrownBy(() -> new ImageGroundTruth(new double[4], new int[1], new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class);
        MeanAveragePrecision map = new MeanAveragePrecision(2);
        assertThatThrownBy(() -> map.add(ImageDetections.none(),
                truth(new double[] {0, 0, 1, 1}, new int[] {2}, new boolean[1])))
                .hasMessageContaining("ground-truth 0 has class 2, outside [0, 2)");
    }

    @Test
    void testThresholdsAreNumpysLinspace() {
        // np.linspace(.5, .95, 10) and np.linspace(0, 1, 101) as pycocotools builds them
        assertThat(MeanAveragePrecision.IOU_THRESHOLDS[1]).isEqualTo(0.55);
        assertThat(MeanAveragePrecision.IOU_THRESHOLDS[9]).isEqualTo(0.95);
        assertThat(MeanAveragePrecision.RECALL_POINTS[57]).isEqualTo(57 * 0.01).isNotEqualTo(0.57);
        assertThat(MeanAveragePrecision.RECALL_POINTS[100]).isEqualTo(1.0);
    }

    private static ImageDetections detections(double[] boxes, double[] scores, int[] classes) {
        return new ImageDetections(boxes, scores, classes);
    }

    private static ImageGroundTruth truth(double[] boxes, int[] classes, boolean[] ignored) {
        return new ImageGroundTruth(boxes, classes, ignored);
    }
}
