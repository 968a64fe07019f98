/**
 * COCO-style mean average precision for the {@code detection} task (fad-spec §12): {@link
 * org.fadkd.vision.detection.metrics.MeanAveragePrecision} takes each image's detections and ground
 * truth as plain arrays, one image at a time, and computes mAP@0.5, mAP@[.5:.95] and the AP of each
 * class with pycocotools' matching and 101-point interpolation.
 */
package org.fadkd.vision.detection.metrics;
