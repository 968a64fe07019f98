package org.fadkd.vision.detection.data;

/**
 * One ground-truth object in its image's own pixels: a continuous box (a pixel {@code i} spans
 * {@code [i, i + 1)}, so a box around pixels 0..9 is {@code (0, 10)}), its class index and whether
 * it is ignored when scored (COCO's {@code iscrowd}, VOC's {@code difficult}).
 */
record AnnotatedObject(double x1, double y1, double x2, double y2, int category, boolean ignored) {
    AnnotatedObject {
        if (!(x1 < x2) || !(y1 < y2)) {
            throw new IllegalArgumentException(String.format("empty box (%s, %s, %s, %s)", x1, y1, x2, y2));
        }
    }

    double width() {
        return x2 - x1;
    }

    double height() {
        return y2 - y1;
    }
}
