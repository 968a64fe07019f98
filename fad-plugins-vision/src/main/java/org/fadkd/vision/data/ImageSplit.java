package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;

/**
 * One split of an 8-bit image dataset (one or more channels), held on the Java heap as bytes;
 * arrays exist only for the batch being built, so native memory does not grow with the dataset.
 *
 * <p>Immutable, hence safe to read from a loader thread.
 */
final class ImageSplit implements DataSplit {
    private final byte[] pixels;
    private final byte[] labels;
    private final int channels;
    private final int rows;
    private final int columns;
    private final float[] pixelValues;

    /**
     * @param pixels {@code labels.length × channels × rows × columns} bytes, channel-major within a
     *     sample (CHW, the layout batches have); not copied
     * @param labels one class index (0..255, read unsigned) per sample; not copied
     * @param pixelValues the float for each byte value of each channel (the normalisation,
     *     precomputed): channel {@code c}'s value of byte {@code b} is {@code pixelValues[256 c +
     *     b]}
     */
    ImageSplit(
            byte[] pixels,
            byte[] labels,
            int channels,
            int rows,
            int columns,
            float[] pixelValues) {
        this.pixels = requireNonNull(pixels, "pixels is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.pixelValues = requireNonNull(pixelValues, "pixelValues is null");
        if (labels.length < 1
                || (long) labels.length * channels * rows * columns != pixels.length) {
            throw new IllegalArgumentException(
                    "pixels hold "
                            + pixels.length
                            + " bytes, not "
                            + labels.length
                            + " × "
                            + channels
                            + " × "
                            + rows
                            + " × "
                            + columns);
        }
        if (pixelValues.length != 256 * channels) {
            throw new IllegalArgumentException(
                    "pixelValues needs 256 entries per channel ("
                            + 256 * channels
                            + "), has "
                            + pixelValues.length);
        }
        this.channels = channels;
        this.rows = rows;
        this.columns = columns;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public LabeledBatch getBatch(NDManager manager, int[] indices) {
        requireNonNull(manager, "manager is null");
        requireNonNull(indices, "indices is null");
        if (indices.length == 0) {
            throw new IllegalArgumentException("indices is empty");
        }
        int planeLength = rows * columns;
        int sampleLength = channels * planeLength;
        float[] inputs = new float[indices.length * sampleLength];
        long[] targets = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= labels.length) {
                throw new IndexOutOfBoundsException(
                        "sample index " + index + " outside [0, " + labels.length + ")");
            }
            int from = index * sampleLength;
            int to = i * sampleLength;
            for (int channel = 0; channel < channels; channel++) {
                int table = channel * 256;
                int offset = channel * planeLength;
                for (int j = 0; j < planeLength; j++) {
                    inputs[to + offset + j] =
                            pixelValues[table + (pixels[from + offset + j] & 0xFF)];
                }
            }
            targets[i] = labels[index] & 0xFF;
        }
        return new LabeledBatch(
                new NDList(
                        manager.create(inputs, new Shape(indices.length, channels, rows, columns))),
                new NDList(manager.create(targets)));
    }

    /** Returns the class index of one sample. */
    int getLabel(int index) {
        return labels[index] & 0xFF;
    }

    /**
     * Returns the float of each byte value of each channel: {@code (b / 255 − mean[c]) / std[c]}
     * when {@code normalize}, else {@code b / 255}; the table {@link #ImageSplit} takes.
     */
    static float[] pixelValues(boolean normalize, double[] means, double[] deviations) {
        if (means.length != deviations.length) {
            throw new IllegalArgumentException(
                    means.length + " means but " + deviations.length + " deviations");
        }
        float[] values = new float[256 * means.length];
        for (int channel = 0; channel < means.length; channel++) {
            for (int b = 0; b < 256; b++) {
                double scaled = b / 255.0;
                values[channel * 256 + b] =
                        (float)
                                (normalize
                                        ? (scaled - means[channel]) / deviations[channel]
                                        : scaled);
            }
        }
        return values;
    }
}
