package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;

import java.util.Arrays;

/**
 * One split of encoded texts, held on the Java heap as token ids; arrays exist only for the batch
 * being built. A batch is {@code NDList(ids (B, L) int64, mask (B, L) int64)} with {@code L} the
 * longest sample of the batch: shorter samples are padded at the end with the pad id, where the
 * mask is 0 (1 on every token). Labels are one {@code (B)} int64 array.
 *
 * <p>Immutable, hence safe to read from a loader thread.
 */
final class TextSplit implements DataSplit {
    private final int[][] ids;
    private final int[] labels;
    private final long padId;

    /**
     * @param ids each sample's token ids, none empty; not copied
     * @param labels each sample's class index; not copied
     * @param padId the id written where the mask is 0
     */
    TextSplit(int[][] ids, int[] labels, long padId) {
        this.ids = requireNonNull(ids, "ids is null");
        this.labels = requireNonNull(labels, "labels is null");
        if (ids.length < 1 || ids.length != labels.length) {
            throw new IllegalArgumentException(
                    ids.length + " samples and " + labels.length + " labels; need as many, at least 1");
        }
        this.padId = padId;
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
        int length = 0;
        for (int index : indices) {
            if (index < 0 || index >= labels.length) {
                throw new IndexOutOfBoundsException(
                        "sample index " + index + " outside [0, " + labels.length + ")");
            }
            length = Math.max(length, ids[index].length);
        }
        long[] batchIds = new long[indices.length * length];
        long[] mask = new long[indices.length * length];
        long[] targets = new long[indices.length];
        Arrays.fill(batchIds, padId);
        for (int row = 0; row < indices.length; row++) {
            int[] sample = ids[indices[row]];
            int offset = row * length;
            for (int position = 0; position < sample.length; position++) {
                batchIds[offset + position] = sample[position];
                mask[offset + position] = 1;
            }
            targets[row] = labels[indices[row]];
        }
        Shape shape = new Shape(indices.length, length);
        return new LabeledBatch(
                new NDList(manager.create(batchIds, shape), manager.create(mask, shape)),
                new NDList(manager.create(targets)));
    }

    /** The labels are at hand: no batch is built. */
    @Override
    public int[] getClassLabels(NDManager manager) {
        return labels.clone();
    }

    /** Returns one sample's ids (not a copy: do not change it). */
    int[] getIds(int index) {
        return ids[index];
    }

    /** Returns one sample's class index. */
    int getLabel(int index) {
        return labels[index];
    }
}
