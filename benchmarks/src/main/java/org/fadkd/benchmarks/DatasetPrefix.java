package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

/**
 * The first samples of a dataset's splits. The training loop runs one epoch over the whole
 * training split, so a benchmark that wants an epoch of N steps gives it the first {@code N × B}
 * training samples; validation, which is not timed, shrinks the same way.
 */
final class DatasetPrefix implements LabeledDataset {
    private final LabeledDataset base;
    private final int trainingSamples;
    private final int evaluationSamples;

    /**
     * @param trainingSamples samples of the training split kept, at most its size
     * @param evaluationSamples samples of the validation and test splits kept, at most their size
     */
    DatasetPrefix(LabeledDataset base, int trainingSamples, int evaluationSamples) {
        this.base = requireNonNull(base, "base is null");
        if (trainingSamples < 1 || evaluationSamples < 1) {
            throw new IllegalArgumentException(String.format(
                    "a prefix keeps at least one sample per split, got %d training and %d evaluation samples",
                    trainingSamples, evaluationSamples));
        }
        this.trainingSamples = trainingSamples;
        this.evaluationSamples = evaluationSamples;
    }

    @Override
    public DataSplit getSplit(Split split) {
        DataSplit whole = base.getSplit(split);
        int kept = split == Split.TRAIN ? trainingSamples : evaluationSamples;
        if (kept > whole.size()) {
            throw new IllegalArgumentException(String.format(
                    "the %s split has %d samples, fewer than the %d asked for", split, whole.size(), kept));
        }
        return new PrefixSplit(whole, kept);
    }

    @Override
    public Shape getSampleShape() {
        return base.getSampleShape();
    }

    @Override
    public List<Shape> getInputShapes() {
        return base.getInputShapes();
    }

    @Override
    public NDList newExampleInputs(NDManager manager, int batchSize) {
        return base.newExampleInputs(manager, batchSize);
    }

    @Override
    public int getClassCount() {
        return base.getClassCount();
    }

    /** Distinct from the whole dataset's, so that teacher-flow cache entries of different prefixes never mix. */
    @Override
    public String getFingerprint() {
        return base.getFingerprint() + "|first " + trainingSamples + " training, " + evaluationSamples
                + " evaluation samples";
    }

    private record PrefixSplit(DataSplit whole, int size) implements DataSplit {
        @Override
        public LabeledBatch getBatch(NDManager manager, int[] indices) {
            for (int index : indices) {
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException("sample index " + index + " outside [0, " + size + ")");
                }
            }
            return whole.getBatch(manager, indices);
        }

        @Override
        public int[] getClassLabels(NDManager manager) {
            int[] labels = whole.getClassLabels(manager);
            return labels == null ? null : Arrays.copyOf(labels, size);
        }
    }
}
