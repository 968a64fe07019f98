package org.fadkd.vision.detection.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.vision.detection.DetectionLabels;
import org.fadkd.vision.detection.metrics.DetectionScores;
import org.fadkd.vision.detection.metrics.ImageDetections;
import org.fadkd.vision.detection.metrics.ImageGroundTruth;
import org.fadkd.vision.detection.metrics.MeanAveragePrecision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation pass of task {@code detection}: decodes every image's detections ({@link
 * DetectionDecoder}), reads its ground truth without the padding, both onto the Java heap (the
 * caller closes the arrays after {@link #update}), and accumulates COCO's mAP ({@link
 * MeanAveragePrecision}, fad-spec §12). The results are {@link #MAP} (mAP@[.5:.95], the primary
 * metric), {@link #MAP50} and {@link #MAP75}, in {@code [0, 1]}, higher is better.
 *
 * <p>The number of classes is read off the first batch's output ({@code C + 4} channels), so the
 * accumulator is made there. Crowd objects (COCO's {@code iscrowd}) are matched by pycocotools'
 * rule, intersection over the detection's area; the same rule is applied to VOC's {@code
 * difficult} objects, which VOC's devkit matches by IoU instead.
 *
 * <p>Not thread-safe.
 */
final class DetectionEvaluator implements TaskEvaluator {
    /** mAP@[.5:.95]: the mean AP over IoU thresholds 0.50, 0.55, …, 0.95; picks the best epoch. */
    static final String MAP = "map";
    /** mAP@0.5: the mean AP at IoU 0.5 (COCO's AP50; Pascal VOC's metric with 101-point AP). */
    static final String MAP50 = "map50";
    /** mAP@0.75: the mean AP at IoU 0.75 (COCO's AP75). */
    static final String MAP75 = "map75";

    private final int maxDetections;
    /** Made at the first batch, when the number of classes is known; null before. */
    private MeanAveragePrecision accumulator;

    /** @param maxDetections the most detections decoded and scored per image, at least 1 */
    DetectionEvaluator(int maxDetections) {
        this.maxDetections = maxDetections;
    }

    @Override
    public void update(NDArray output, NDList labels) {
        long batch = DetectionTask.checkedOutput(output).get(0);
        DetectionLabels truth = DetectionTask.checkedLabels(labels, batch);
        if (accumulator == null) {
            accumulator = new MeanAveragePrecision(DenseDetectionOutput.classCount(output.getShape()), maxDetections,
                    MeanAveragePrecision.IgnoredOverlap.INTERSECTION_OVER_DETECTION);
        }
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
            accumulator.add(detections.get(image), groundTruth(boxes, classes, ignored, image * slots, slots));
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
        double[] imageBoxes = new double[4 * count];
        int[] imageClasses = new int[count];
        boolean[] imageIgnored = new boolean[count];
        int object = 0;
        for (int slot = first; slot < first + slots; slot++) {
            if (classes[slot] != DetectionLabels.PADDING) {
                for (int k = 0; k < 4; k++) {
                    imageBoxes[4 * object + k] = boxes[4 * slot + k];
                }
                imageClasses[object] = Math.toIntExact(classes[slot]);
                imageIgnored[object] = ignored[slot] != 0;
                object++;
            }
        }
        return new ImageGroundTruth(imageBoxes, imageClasses, imageIgnored);
    }

    /**
     * Returns {@link #MAP}, {@link #MAP50} and {@link #MAP75} over every image so far; each is NaN
     * when no image was added or no class has non-ignored ground truth (there is nothing to
     * measure), as {@link DetectionScores} defines it.
     */
    @Override
    public Map<String, Double> getResults() {
        Map<String, Double> results = new LinkedHashMap<>();
        if (accumulator == null) {
            results.put(MAP, Double.NaN);
            results.put(MAP50, Double.NaN);
            results.put(MAP75, Double.NaN);
            return results;
        }
        DetectionScores scores = accumulator.compute();
        results.put(MAP, scores.map());
        results.put(MAP50, scores.map50());
        results.put(MAP75, scores.map75());
        return results;
    }
}
