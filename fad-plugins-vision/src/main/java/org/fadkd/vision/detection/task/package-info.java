/**
 * Task {@code detection} (fad-spec §12): Gaussian heatmap targets, the focal heatmap loss with size
 * and offset L1, decoding into boxes, scores and classes per image ({@link
 * org.fadkd.vision.detection.task.DetectionDecoder}), and evaluation through a {@link
 * org.fadkd.vision.detection.task.DetectionScorer}.
 */
package org.fadkd.vision.detection.task;
