package org.fadkd.vision.detection.metrics;

import static java.util.Objects.requireNonNull;

/**
 * The ground truth of one image, for {@link MeanAveragePrecision}: {@code n} objects.
 *
 * @param boxes {@code 4n} values, object {@code i}'s {@code (x1, y1, x2, y2)} at {@code 4i}, in any
 *     pixel frame shared with the detections (IoU does not change when both are scaled); not copied
 * @param classes {@code n} class indices in {@code [0, classCount)}; not copied
 * @param ignored {@code n} flags: true for an object that is neither a positive nor a negative
 *     (COCO's {@code iscrowd}, VOC's {@code difficult}); not copied
 * @since 0.2
 */
public record ImageGroundTruth(double[] boxes, int[] classes, boolean[] ignored) {
    /** Checks that the three arrays describe the same objects. */
    public ImageGroundTruth {
        requireNonNull(boxes, "boxes is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(ignored, "ignored is null");
        if (boxes.length != 4 * classes.length || ignored.length != classes.length) {
            throw new IllegalArgumentException(String.format(
                    "ground truth needs 4 box values, a class and an ignored flag per object; got %d box values,"
                            + " %d classes, %d flags", boxes.length, classes.length, ignored.length));
        }
    }

    /** An image without objects. */
    public static ImageGroundTruth none() {
        return new ImageGroundTruth(new double[0], new int[0], new boolean[0]);
    }

    /** The number of objects. */
    public int size() {
        return classes.length;
    }
}
