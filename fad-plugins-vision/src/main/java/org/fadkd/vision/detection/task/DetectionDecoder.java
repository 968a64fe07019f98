package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.vision.detection.metrics.ImageDetections;
import org.fadkd.vision.detection.model.CenterNetArchitectureFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Turns a detector's output into boxes, scores and classes per image (fad-spec §12): keep the
 * heatmap values that equal the maximum of their 3×3 neighbourhood (inside the map), take the
 * {@code k} highest, and read each one's box {@code (p + Ô ± Ŝ/2)·R} at its cell {@code p}, score
 * {@code Ŷ = sigmoid(z)}. Peaks are found on the logits {@code z}, which order the cells as {@code
 * Ŷ} does without the ties a saturated sigmoid would make. Equal scores go to the lower (class,
 * row, column), so the result does not depend on a sort's order.
 *
 * <p>Runs on the Java heap: the output is copied once. Stateless, hence thread-safe.
 */
public final class DetectionDecoder {
    private DetectionDecoder() {}

    /** One kept heatmap cell: its logit and flat index {@code (c·H' + y)·W' + x} within the image. */
    private record Peak(float logit, int index) {}

    /**
     * Decodes every image of a batch.
     *
     * @param output a {@link DenseDetectionOutput} {@code (B, C + 4, H', W')} at stride {@link
     *     CenterNetArchitectureFactory#OUTPUT_STRIDE}, never null; not modified or closed
     * @param maxDetections {@code k ≥ 1}, the most detections per image
     * @return one entry per image, in batch order, its detections best first, boxes in input
     *     pixels; never null
     */
    public static List<ImageDetections> decode(NDArray output, int maxDetections) {
        requireNonNull(output, "output is null");
        if (maxDetections < 1) {
            throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
        }
        Shape shape = output.getShape();
        int classes = DenseDetectionOutput.classCount(shape);
        int batch = Math.toIntExact(shape.get(0));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        float[] values;
        try (NDArray copy = output.toType(DataType.FLOAT32, true)) {
            values = copy.toFloatArray();
        }
        List<ImageDetections> images = new ArrayList<>(batch);
        for (int image = 0; image < batch; image++) {
            images.add(decodeImage(values, image * (classes + 4) * height * width, classes, height, width,
                    maxDetections));
        }
        return images;
    }

    private static ImageDetections decodeImage(
            float[] values, int base, int classes, int height, int width, int maxDetections) {
        // the k best so far, the worst on top: lower logit first, then the higher index
        PriorityQueue<Peak> best = new PriorityQueue<>(maxDetections + 1, (a, b) -> a.logit() != b.logit()
                ? Float.compare(a.logit(), b.logit())
                : Integer.compare(b.index(), a.index()));
        for (int c = 0; c < classes; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int index = (c * height + y) * width + x;
                    float logit = values[base + index];
                    if (isNeighbourhoodMaximum(values, base + c * height * width, height, width, y, x, logit)) {
                        best.add(new Peak(logit, index));
                        if (best.size() > maxDetections) {
                            best.poll();
                        }
                    }
                }
            }
        }
        int count = best.size();
        double[] boxes = new double[4 * count];
        double[] scores = new double[count];
        int[] labels = new int[count];
        int cells = height * width;
        int stride = CenterNetArchitectureFactory.OUTPUT_STRIDE;
        for (int rank = count - 1; rank >= 0; rank--) {
            Peak peak = best.poll();
            int cell = peak.index() % cells;
            int y = cell / width;
            int x = cell % width;
            int regression = base + classes * cells + cell;
            double sizeX = values[regression];
            double sizeY = values[regression + cells];
            double centreX = x + (double) values[regression + 2 * cells];
            double centreY = y + (double) values[regression + 3 * cells];
            boxes[4 * rank] = (centreX - sizeX / 2) * stride;
            boxes[4 * rank + 1] = (centreY - sizeY / 2) * stride;
            boxes[4 * rank + 2] = (centreX + sizeX / 2) * stride;
            boxes[4 * rank + 3] = (centreY + sizeY / 2) * stride;
            scores[rank] = 1 / (1 + Math.exp(-peak.logit()));
            labels[rank] = peak.index() / cells;
        }
        return new ImageDetections(boxes, scores, labels);
    }

    /** Whether no cell of the 3×3 neighbourhood (within the map) of one class exceeds {@code logit}. */
    private static boolean isNeighbourhoodMaximum(
            float[] values, int mapBase, int height, int width, int y, int x, float logit) {
        for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
            for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                if (values[mapBase + ny * width + nx] > logit) {
                    return false;
                }
            }
        }
        return true;
    }
}
