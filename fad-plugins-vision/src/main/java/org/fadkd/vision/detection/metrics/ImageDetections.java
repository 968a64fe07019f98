package org.fadkd.vision.detection.metrics;

import static java.util.Objects.requireNonNull;

/**
 * What a detector found in one image, for {@link MeanAveragePrecision}: {@code n} detections in any
 * order.
 *
 * @param boxes {@code 4n} values, detection {@code i}'s {@code (x1, y1, x2, y2)} at {@code 4i}, in
 *     the ground truth's pixel frame; not copied
 * @param scores {@code n} confidences, higher is surer; finite; not copied
 * @param classes {@code n} class indices in {@code [0, classCount)}; not copied
 * @since 0.2
 */
public record ImageDetections(double[] boxes, double[] scores, int[] classes) {
    /** Checks that the three arrays describe the same detections. */
    public ImageDetections {
        requireNonNull(boxes, "boxes is null");
        requireNonNull(scores, "scores is null");
        requireNonNull(classes, "classes is null");
        if (boxes.length != 4 * scores.length || classes.length != scores.length) {
            throw new IllegalArgumentException(String.format(
                    "detections need 4 box values, a score and a class each; got %d box values, %d scores,"
                            + " %d classes", boxes.length, scores.length, classes.length));
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("detection " + i + " has score " + scores[i]);
            }
        }
    }

    /** An image where nothing was detected. */
    public static ImageDetections none() {
        return new ImageDetections(new double[0], new double[0], new int[0]);
    }

    /** The number of detections. */
    public int size() {
        return scores.length;
    }
}
