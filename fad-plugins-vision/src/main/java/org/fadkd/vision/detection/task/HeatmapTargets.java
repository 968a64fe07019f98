package org.fadkd.vision.detection.task;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.vision.detection.DetectionLabels;

import java.util.Arrays;

/**
 * The training targets of one batch (fad-spec §12), computed on the Java heap from its labels. For
 * a box {@code (x1, y1, x2, y2)}: centre {@code c = ((x1+x2)/2, (y1+y2)/2)/R}, cell {@code p =
 * ⌊c⌋}, size {@code s = (x2−x1, y2−y1)/R}, and the class heatmap
 * <pre>
 * Y_cxy = max over objects of class c of exp(−(x−p_x)²/(2σ_x²) − (y−p_y)²/(2σ_y²)),
 * σ_x = 0.54·s_w/6,  σ_y = 0.54·s_h/6
 * </pre>
 * over the whole map (the Gaussian is separable, so one row and one column of factors per object
 * suffice). Padding slots and ignored objects are left out. A centre outside the map (a box beyond
 * the image) is clamped to the nearest cell; a box without width or height marks its own cell
 * only.
 */
final class HeatmapTargets {
    /** TTFNet's Gaussian radius: σ = α·s/6 with α = 0.54. */
    private static final double SIGMA_PER_SIZE = 0.54 / 6;

    /** {@code Y}, {@code (B, C, H', W')} row-major. */
    final double[] heatmap;
    /** Per object, the flat indices into the output {@code (B, C + 4, H', W')} of its size (w, h) and offset (x, y) at {@code p}. */
    final long[] regressionIndices;
    /** Per object, {@code (s_w, s_h, c_x − p_x, c_y − p_y)}. */
    final double[] regressionTargets;
    /** The objects that are targets: neither padding nor ignored. */
    final int objects;

    private HeatmapTargets(double[] heatmap, long[] regressionIndices, double[] regressionTargets, int objects) {
        this.heatmap = heatmap;
        this.regressionIndices = regressionIndices;
        this.regressionTargets = regressionTargets;
        this.objects = objects;
    }

    /**
     * Computes the targets.
     *
     * @param boxes {@code (B, M, 4)} row-major, in input pixels
     * @param classes {@code (B, M)} row-major, {@link DetectionLabels#PADDING} for an empty slot
     * @param ignored {@code (B, M)} row-major, 1 for an object left out
     * @param batch {@code B}
     * @param classCount {@code C}, the classes the model predicts
     * @param height {@code H'}
     * @param width {@code W'}
     * @param stride {@code R}, input pixels per output cell
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} for a class the model
     *     does not predict
     */
    static HeatmapTargets of(float[] boxes, long[] classes, long[] ignored, int batch, int classCount,
            int height, int width, int stride) {
        int slots = classes.length / batch;
        int cells = height * width;
        double[] heatmap = new double[batch * classCount * cells];
        long[] indices = new long[classes.length * 4];
        double[] targets = new double[classes.length * 4];
        int objects = 0;
        double[] rowFactors = new double[height];
        double[] columnFactors = new double[width];
        for (int image = 0; image < batch; image++) {
            for (int slot = 0; slot < slots; slot++) {
                int object = image * slots + slot;
                long label = classes[object];
                if (label == DetectionLabels.PADDING || ignored[object] != 0) {
                    continue;
                }
                if (label < 0 || label >= classCount) {
                    throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                            "Task 'detection' got class %d for object %d of image %d, but the model predicts %d"
                                    + " classes. Build the architecture for the dataset's classes.",
                            label, slot, image, classCount));
                }
                float x1 = boxes[4 * object];
                float y1 = boxes[4 * object + 1];
                float x2 = boxes[4 * object + 2];
                float y2 = boxes[4 * object + 3];
                double centreX = (x1 + (double) x2) / 2 / stride;
                double centreY = (y1 + (double) y2) / 2 / stride;
                int cellX = clamp((int) Math.floor(centreX), width);
                int cellY = clamp((int) Math.floor(centreY), height);
                double sizeX = (x2 - (double) x1) / stride;
                double sizeY = (y2 - (double) y1) / stride;
                gaussianFactors(columnFactors, cellX, SIGMA_PER_SIZE * sizeX);
                gaussianFactors(rowFactors, cellY, SIGMA_PER_SIZE * sizeY);
                int offset = (image * classCount + (int) label) * cells;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        double value = rowFactors[y] * columnFactors[x];
                        if (value > heatmap[offset + y * width + x]) {
                            heatmap[offset + y * width + x] = value;
                        }
                    }
                }
                long cell = (long) cellY * width + cellX;
                long sizeChannel = (long) image * (classCount + 4) + classCount;
                for (int k = 0; k < 4; k++) {
                    indices[4 * objects + k] = (sizeChannel + k) * cells + cell;
                }
                targets[4 * objects] = sizeX;
                targets[4 * objects + 1] = sizeY;
                targets[4 * objects + 2] = centreX - cellX;
                targets[4 * objects + 3] = centreY - cellY;
                objects++;
            }
        }
        return new HeatmapTargets(heatmap, Arrays.copyOf(indices, 4 * objects),
                Arrays.copyOf(targets, 4 * objects), objects);
    }

    /** {@code exp(−(i − centre)²/(2σ²))} for every position {@code i}; 1 at the centre even when σ = 0. */
    private static void gaussianFactors(double[] factors, int centre, double sigma) {
        for (int i = 0; i < factors.length; i++) {
            int distance = i - centre;
            factors[i] = distance == 0 ? 1 : Math.exp(-(double) distance * distance / (2 * sigma * sigma));
        }
    }

    private static int clamp(int cell, int size) {
        return Math.max(0, Math.min(size - 1, cell));
    }
}
