package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.TaskEvaluator;
import org.fadkd.vision.detection.DetectionLabels;

import java.util.List;
import java.util.Map;

/**
 * One evaluation pass of task {@code detection}: decodes every image's detections, reads its ground
 * truth, both onto the Java heap (the caller closes the arrays after {@link #update}), and hands
 * them to the pass's {@link DetectionScorer}.
 *
 * <p>Not thread-safe.
 */
final class DetectionEvaluator implements TaskEvaluator {
    private final DetectionScorer scorer;
    private final int maxDetections;

    DetectionEvaluator(DetectionScorer scorer, int maxDetections) {
        this.scorer = requireNonNull(scorer, "scorer is null");
        this.maxDetections = maxDetections;
    }

    @Override
    public void update(NDArray output, NDList labels) {
        long batch = DetectionTask.checkedOutput(output).get(0);
        DetectionLabels truth = DetectionTask.checkedLabels(labels, batch);
        List<ImageDetections> detections = DetectionDecoder.decode(output, maxDetections);
        float[] boxes;
        long[] classes;
        long[] ignored;
        try (NDArray boxes32 = truth.boxes().toType(DataType.FLOAT32, true);
                NDArray classes64 = truth.classes().toType(DataType.INT64, true);
                NDArray ignored64 = truth.ignored().toType(DataType.INT64, true)) {
            boxes = boxes32.toFloatArray();
            classes = classes64.toLongArray();
            ignored = ignored64.toLongArray();
        }
        int slots = Math.toIntExact(classes.length / batch);
        for (int image = 0; image < batch; image++) {
            scorer.add(detections.get(image), groundTruth(boxes, classes, ignored, image * slots, slots));
        }
    }

    /** One image's objects: its slots without the padding. */
    private static ImageGroundTruth groundTruth(float[] boxes, long[] classes, long[] ignored, int first, int slots) {
        int count = 0;
        for (int slot = first; slot < first + slots; slot++) {
            if (classes[slot] != DetectionLabels.PADDING) {
                count++;
            }
        }
        float[] imageBoxes = new float[4 * count];
        int[] imageClasses = new int[count];
        boolean[] imageIgnored = new boolean[count];
        int object = 0;
        for (int slot = first; slot < first + slots; slot++) {
            if (classes[slot] != DetectionLabels.PADDING) {
                System.arraycopy(boxes, 4 * slot, imageBoxes, 4 * object, 4);
                imageClasses[object] = Math.toIntExact(classes[slot]);
                imageIgnored[object] = ignored[slot] != 0;
                object++;
            }
        }
        return new ImageGroundTruth(imageBoxes, imageClasses, imageIgnored);
    }

    @Override
    public Map<String, Double> getResults() {
        return scorer.result();
    }
}
