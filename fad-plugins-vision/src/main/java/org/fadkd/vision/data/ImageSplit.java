package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;

/**
 * One split of a single-channel 8-bit image dataset, held on the Java heap as bytes; arrays exist
 * only for the batch being built, so native memory does not grow with the dataset.
 *
 * <p>Immutable, hence safe to read from a loader thread.
 */
final class ImageSplit implements DataSplit {
    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int columns;
    private final float[] pixelValues;

    /**
     * @param pixels {@code labels.length × rows × columns} bytes, row-major; not copied
     * @param labels one class index per sample; not copied
     * @param pixelValues the float for each byte value 0..255 (the normalisation, precomputed)
     */
    ImageSplit(byte[] pixels, byte[] labels, int rows, int columns, float[] pixelValues) {
        this.pixels = requireNonNull(pixels, "pixels is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.pixelValues = requireNonNull(pixelValues, "pixelValues is null");
        if (labels.length < 1 || (long) labels.length * rows * columns != pixels.length) {
            throw new IllegalArgumentException(
                    "pixels hold "
                            + pixels.length
                            + " bytes, not "
                            + labels.length
                            + " × "
                            + rows
                            + " × "
                            + columns);
        }
        if (pixelValues.length != 256) {
            throw new IllegalArgumentException(
                    "pixelValues needs 256 entries, has " + pixelValues.length);
        }
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
        int sampleLength = rows * columns;
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
            for (int j = 0; j < sampleLength; j++) {
                inputs[to + j] = pixelValues[pixels[from + j] & 0xFF];
            }
            targets[i] = labels[index];
        }
        return new LabeledBatch(
                new NDList(manager.create(inputs, new Shape(indices.length, 1, rows, columns))),
                new NDList(manager.create(targets)));
    }

    /** Returns the class index of one sample. */
    int getLabel(int index) {
        return labels[index];
    }
}
