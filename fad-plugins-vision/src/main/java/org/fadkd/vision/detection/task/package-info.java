/**
 * Task {@code detection} (fad-spec §12): Gaussian heatmap targets, the focal heatmap loss with size
 * and offset L1, decoding into boxes, scores and classes per image ({@link
 * org.fadkd.vision.detection.task.DetectionDecoder}), and evaluation by COCO's mAP ({@link
 * org.fadkd.vision.detection.metrics.MeanAveragePrecision}).
 */
package org.fadkd.vision.detection.task;
