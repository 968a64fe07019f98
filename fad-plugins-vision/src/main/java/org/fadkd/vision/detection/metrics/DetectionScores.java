package org.fadkd.vision.detection.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * The average precisions {@link MeanAveragePrecision#compute()} found, per IoU threshold and class.
 * A class without non-ignored ground truth has {@code NaN} and is left out of every mean; a mean
 * over no class at all is {@code NaN} too.
 *
 * @param iouThresholds the thresholds {@code 0.50, 0.55, …, 0.95}
 * @param averagePrecision {@code [threshold][class]}
 * @since 0.2
 */
public record DetectionScores(double[] iouThresholds, double[][] averagePrecision) {
    public DetectionScores {
        requireNonNull(iouThresholds, "iouThresholds is null");
        requireNonNull(averagePrecision, "averagePrecision is null");
        if (averagePrecision.length != iouThresholds.length) {
            throw new IllegalArgumentException(averagePrecision.length + " rows for " + iouThresholds.length
                    + " thresholds");
        }
    }

    /** COCO's AP50: the mean over classes of the AP at IoU 0.5 (also Pascal VOC's metric, 101-point). */
    public double map50() {
        return meanOverClasses(0);
    }

    /** COCO's AP75: the mean over classes of the AP at IoU 0.75. */
    public double map75() {
        return meanOverClasses(5);
    }

    /** COCO's AP, mAP@[.5:.95]: the mean over classes of the mean AP over the ten thresholds. */
    public double map() {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < classCount(); c++) {
            if (!Double.isNaN(averagePrecision[0][c])) {
                sum += classAp(c);
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** Class {@code c}'s AP at IoU 0.5, NaN without ground truth. */
    public double classAp50(int c) {
        return averagePrecision[0][c];
    }

    /** Class {@code c}'s AP averaged over the ten thresholds, NaN without ground truth. */
    public double classAp(int c) {
        return Arrays.stream(averagePrecision).mapToDouble(row -> row[c]).average().orElse(Double.NaN);
    }

    /** The number of classes. */
    public int classCount() {
        return averagePrecision[0].length;
    }

    /** The number of classes that have non-ignored ground truth, those the means average. */
    public int scoredClassCount() {
        return (int) Arrays.stream(averagePrecision[0]).filter(ap -> !Double.isNaN(ap)).count();
    }

    private double meanOverClasses(int threshold) {
        return Arrays.stream(averagePrecision[threshold]).filter(ap -> !Double.isNaN(ap)).average()
                .orElse(Double.NaN);
    }
}
