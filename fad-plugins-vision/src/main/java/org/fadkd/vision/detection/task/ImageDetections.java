package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

/**
 * The detections of one image, best first, as plain arrays: detection {@code i} is the box {@code
 * (boxes[4i], boxes[4i+1], boxes[4i+2], boxes[4i+3]) = (x1, y1, x2, y2)} in pixels of the network
 * input, its score in {@code (0, 1)} and its class index. The arrays are not copied and compare by
 * identity.
 *
 * @param boxes {@code 4·n} coordinates, never null
 * @param scores {@code n} scores, non-increasing, never null
 * @param classes {@code n} class indices in {@code [0, C)}, never null
 */
public record ImageDetections(float[] boxes, float[] scores, int[] classes) {
    public ImageDetections {
        requireNonNull(boxes, "boxes is null");
        requireNonNull(scores, "scores is null");
        requireNonNull(classes, "classes is null");
        if (boxes.length != 4 * scores.length || classes.length != scores.length) {
            throw new IllegalArgumentException("detections need 4 coordinates, 1 score and 1 class each, got "
                    + boxes.length + ", " + scores.length + " and " + classes.length);
        }
    }

    /** Returns the number of detections. */
    public int count() {
        return scores.length;
    }
}
