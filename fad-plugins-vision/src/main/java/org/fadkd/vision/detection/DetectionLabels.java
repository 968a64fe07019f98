package org.fadkd.vision.detection;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * How a detection batch carries its ground truth: the contract between the detection datasets
 * ({@code coco}, {@code voc}, {@code fashion-mnist-canvas}), the {@code detection} task's loss and
 * its mAP evaluation. A batch's labels are {@code NDList(boxes, classes, ignored)}:
 *
 * <ul>
 *   <li>{@code boxes (B, M, 4)} float32: {@code (x1, y1, x2, y2)} in pixels of the network input
 *       (after resizing and augmentation), continuous coordinates;
 *   <li>{@code classes (B, M)} int64: the contiguous class index {@code 0..C−1}, or {@link #PADDING}
 *       where image {@code b} has fewer than {@code M} objects ({@code M} is the batch's largest
 *       object count, at least 1);
 *   <li>{@code ignored (B, M)} int64: 1 for an object that is neither a positive nor a negative when
 *       scored (COCO's {@code iscrowd}, VOC's {@code difficult}; fad-spec §12), else 0. Training
 *       targets leave ignored objects out.
 * </ul>
 *
 * The images are {@code NDList(images (B, 3, H, W) float32)}, normalised as the backbone expects.
 */
public record DetectionLabels(NDArray boxes, NDArray classes, NDArray ignored) {
    /** The class index of a padding slot. */
    public static final long PADDING = -1;

    /** Checks the shapes against each other. */
    public DetectionLabels {
        requireNonNull(boxes, "boxes is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(ignored, "ignored is null");
        long batch = classes.getShape().get(0);
        long slots = classes.getShape().get(1);
        if (boxes.getShape().dimension() != 3 || boxes.getShape().get(0) != batch
                || boxes.getShape().get(1) != slots || boxes.getShape().get(2) != 4
                || !ignored.getShape().equals(classes.getShape())) {
            throw new IllegalArgumentException("detection labels need boxes (B, M, 4), classes and ignored (B, M); got "
                    + boxes.getShape() + ", " + classes.getShape() + ", " + ignored.getShape());
        }
    }

    /** Reads a batch's labels. */
    public static DetectionLabels of(NDList labels) {
        requireNonNull(labels, "labels is null");
        if (labels.size() != 3) {
            throw new IllegalArgumentException("detection labels are NDList(boxes, classes, ignored), got "
                    + labels.size() + " arrays");
        }
        return new DetectionLabels(labels.get(0), labels.get(1), labels.get(2));
    }

    /** The labels as a batch carries them. */
    public NDList toList() {
        return new NDList(boxes, classes, ignored);
    }
}
