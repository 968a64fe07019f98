package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

/**
 * The ground truth of one image, padding removed ({@link
 * org.fadkd.vision.detection.DetectionLabels}): object {@code i} is the box {@code (boxes[4i], …,
 * boxes[4i+3]) = (x1, y1, x2, y2)} in pixels of the network input, its class index, and whether it
 * is ignored when scoring (crowd or difficult: neither a positive nor a negative, fad-spec §12).
 * The arrays are not copied and compare by identity.
 *
 * @param boxes {@code 4·n} coordinates, never null
 * @param classes {@code n} class indices in {@code [0, C)}, never null
 * @param ignored {@code n} flags, never null
 */
public record ImageGroundTruth(float[] boxes, int[] classes, boolean[] ignored) {
    public ImageGroundTruth {
        requireNonNull(boxes, "boxes is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(ignored, "ignored is null");
        if (boxes.length != 4 * classes.length || ignored.length != classes.length) {
            throw new IllegalArgumentException("ground truth needs 4 coordinates, 1 class and 1 flag per object, got "
                    + boxes.length + ", " + classes.length + " and " + ignored.length);
        }
    }

    /** Returns the number of objects, ignored ones included. */
    public int count() {
        return classes.length;
    }
}
