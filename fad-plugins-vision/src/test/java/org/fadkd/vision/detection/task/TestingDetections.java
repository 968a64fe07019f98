package org.fadkd.vision.detection.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.vision.detection.DetectionLabels;

import java.util.Arrays;

/** Builds detection labels and detector outputs from plain arrays. */
final class TestingDetections {
    private TestingDetections() {}

    /**
     * Labels of a batch: {@code objects[b][m] = {x1, y1, x2, y2, class, ignored}}; images with
     * fewer objects are padded to the batch's largest count.
     */
    static NDList labels(NDManager manager, double[][]... objects) {
        int slots = 1;
        for (double[][] image : objects) {
            slots = Math.max(slots, image.length);
        }
        float[] boxes = new float[objects.length * slots * 4];
        long[] classes = new long[objects.length * slots];
        long[] ignored = new long[objects.length * slots];
        Arrays.fill(classes, DetectionLabels.PADDING);
        for (int b = 0; b < objects.length; b++) {
            for (int m = 0; m < objects[b].length; m++) {
                int slot = b * slots + m;
                for (int k = 0; k < 4; k++) {
                    boxes[4 * slot + k] = (float) objects[b][m][k];
                }
                classes[slot] = (long) objects[b][m][4];
                ignored[slot] = (long) objects[b][m][5];
            }
        }
        return new DetectionLabels(
                        manager.create(boxes, new Shape(objects.length, slots, 4)),
                        manager.create(classes, new Shape(objects.length, slots)),
                        manager.create(ignored, new Shape(objects.length, slots)))
                .toList();
    }

    /** A float64 detector output {@code (B, C + 4, H', W')} filled with {@code value}. */
    static double[] filled(int batch, int classes, int height, int width, double value) {
        double[] values = new double[batch * (classes + 4) * height * width];
        Arrays.fill(values, value);
        return values;
    }

    /** A float64 detector output with heatmap logits {@code logit} and zero size and offset. */
    static double[] heatmapFilled(int batch, int classes, int height, int width, double logit) {
        double[] values = new double[batch * (classes + 4) * height * width];
        int map = height * width;
        for (int b = 0; b < batch; b++) {
            Arrays.fill(values, b * (classes + 4) * map, (b * (classes + 4) + classes) * map, logit);
        }
        return values;
    }

    /** Sets channel {@code channel} of image {@code b} at (y, x) in a row-major output buffer. */
    static void set(double[] values, int classes, int height, int width, int b, int channel, int y, int x,
            double value) {
        values[((b * (classes + 4) + channel) * height + y) * width + x] = value;
    }

    static NDArray output(NDManager manager, double[] values, int batch, int classes, int height, int width) {
        return manager.create(values, new Shape(batch, classes + 4, height, width));
    }

    /** The logit whose sigmoid is {@code probability}. */
    static double logit(double probability) {
        return Math.log(probability / (1 - probability));
    }
}
