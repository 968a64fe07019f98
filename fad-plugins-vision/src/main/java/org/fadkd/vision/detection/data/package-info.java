/**
 * Detection datasets: {@code coco} (COCO JSON over an image folder), {@code voc} (Pascal VOC XML)
 * and {@code fashion-mnist-canvas} (Fashion-MNIST items placed on larger canvases, also written as
 * COCO and VOC files). Every one yields batches as {@link org.fadkd.vision.detection.DetectionLabels}
 * describes: images {@code (B, 3, S, S)} and labels {@code (boxes, classes, ignored)} in the
 * network input's pixels, the boxes moved with the image by {@link
 * org.fadkd.vision.detection.data.InputPlacement} (letterboxing, and for training random scale,
 * crop and flip).
 */
package org.fadkd.vision.detection.data;
