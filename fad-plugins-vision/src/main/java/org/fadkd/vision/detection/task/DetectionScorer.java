package org.fadkd.vision.detection.task;

import java.util.Map;

/**
 * Scores one evaluation pass of task {@code detection} from its images' detections and ground
 * truth: the COCO mAP of fad-spec §12. The task's evaluator decodes every image of every batch and
 * hands it over here, on the Java heap, so that a scorer never sees an NDArray.
 *
 * <p>One instance per pass; not thread-safe.
 */
public interface DetectionScorer {
    /**
     * The metric {@link #result()} must contain and that picks the best epoch: mAP@[.5:.95], the
     * mean over IoU thresholds 0.50, 0.55, …, 0.95 (higher is better).
     */
    String PRIMARY_METRIC = "map";

    /**
     * Adds one image.
     *
     * @param detections its detections, best first, at most the task's {@code max-detections};
     *     never null
     * @param groundTruth its objects, never null
     */
    void add(ImageDetections detections, ImageGroundTruth groundTruth);

    /**
     * Returns the metrics over every image added so far.
     *
     * @return metric name to value, {@link #PRIMARY_METRIC} among them, in a stable order; never
     *     null
     */
    Map<String, Double> result();
}
