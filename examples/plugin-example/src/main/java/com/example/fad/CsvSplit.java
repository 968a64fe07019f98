package com.example.fad;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;

/**
 * One split of a {@link CsvDataset}, held on the Java heap; arrays exist only for the batch being
 * built, so native memory does not grow with the data. Immutable, hence safe to read from a loader
 * thread.
 */
final class CsvSplit implements DataSplit {
    private final float[] features;
    private final int[] labels;
    private final Shape sampleShape;
    private final int featureCount;

    /**
     * @param features {@code labels.length × featureCount} values, row-major; not copied
     * @param labels one class index per sample, at least one; not copied
     * @param sampleShape the shape a sample's features take in a batch
     */
    CsvSplit(float[] features, int[] labels, Shape sampleShape) {
        this.features = requireNonNull(features, "features is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.sampleShape = requireNonNull(sampleShape, "sampleShape is null");
        this.featureCount = Math.toIntExact(sampleShape.size());
        if (labels.length < 1 || (long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException(features.length + " feature values do not make " + labels.length
                    + " samples of " + featureCount);
        }
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
        float[] inputs = new float[indices.length * featureCount];
        long[] targets = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= labels.length) {
                throw new IndexOutOfBoundsException("sample index " + index + " outside [0, " + labels.length + ")");
            }
            System.arraycopy(features, index * featureCount, inputs, i * featureCount, featureCount);
            targets[i] = labels[index];
        }
        long[] batchShape = new long[sampleShape.dimension() + 1];
        batchShape[0] = indices.length;
        System.arraycopy(sampleShape.getShape(), 0, batchShape, 1, sampleShape.dimension());
        return new LabeledBatch(new NDList(manager.create(inputs, new Shape(batchShape))),
                new NDList(manager.create(targets)));
    }

    /** The labels are kept apart from the features: no batch needs to be built to list them. */
    @Override
    public int[] getClassLabels(NDManager manager) {
        return labels.clone();
    }
}
