package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.stream.IntStream;

/**
 * Random access to the samples of one split. The host decides order and batching (seeded
 * shuffling, dropping the last partial batch) so that runs are reproducible whatever the dataset.
 *
 * <p>Thread-safety: {@link #getBatch} and {@link #getTrainingBatch} may be called from a loader
 * thread other than the one that trains (the host builds training batches ahead of the step,
 * {@code trainer.prefetch}), but never concurrently for the same split. A split may use threads of
 * its own inside a call (imagefolder decodes a batch's images in parallel), as long as the batch
 * is the same whatever their number and timing.
 *
 * @since 0.1
 */
public interface DataSplit {
    /**
     * Returns the number of samples.
     *
     * @return the size, at least 1
     * @since 0.1
     */
    int size();

    /**
     * Materialises the samples at the given indices, in that order.
     *
     * @param manager the manager every returned array is attached to; the caller closes it
     * @param indices sample indices in {@code [0, size())}, never null, not empty
     * @return the batch, never null
     * @since 0.1
     */
    LabeledBatch getBatch(NDManager manager, int[] indices);

    /**
     * Materialises the samples at the given indices for one training step. The host calls this,
     * not {@link #getBatch}, for the batches a model trains on (after any validation hold-out);
     * everything else (validation, test, profiles, measurements) reads {@link #getBatch}. A split
     * whose training inputs are drawn at random per sample (ImageNet's RandomResizedCrop, which
     * must happen while decoding, before samples of different sizes can share an array) draws
     * them here, from {@code seed}, {@code epoch} and each sample's index alone, so that reruns
     * and resumed runs see the same inputs whatever the batching or thread. The default returns
     * {@link #getBatch}.
     *
     * @param manager the manager every returned array is attached to; the caller closes it
     * @param indices sample indices in {@code [0, size())}, never null, not empty
     * @param seed the seed of the training run (the job's, or the teacher training's)
     * @param epoch the 1-based epoch the batch belongs to
     * @return the batch, never null
     * @since 0.2
     */
    default LabeledBatch getTrainingBatch(NDManager manager, int[] indices, long seed, int epoch) {
        return getBatch(manager, indices);
    }

    /**
     * Says whether {@link #getTrainingBatch} gives different inputs from epoch to epoch, so that
     * the host refuses what needs the same inputs every epoch (cached teacher logits).
     *
     * @return false by default
     * @since 0.2
     */
    default boolean hasRandomTrainingBatches() {
        return false;
    }

    /**
     * Returns the class index of every sample, by sample index, for methods that sample other
     * samples by class (crd's negatives). The default materialises every sample in batches and
     * reads the first label array; a dataset that keeps its labels apart from its inputs should
     * return them directly.
     *
     * @param manager a manager for temporary arrays, never null; nothing stays attached to it
     * @return {@code size()} class indices, or null when the labels are not one class index per
     *     sample (detection boxes, token labels)
     * @since 0.1
     */
    default int[] getClassLabels(NDManager manager) {
        int[] labels = new int[size()];
        int chunk = 1024;
        for (int start = 0; start < labels.length; start += chunk) {
            int[] indices = IntStream.range(start, Math.min(start + chunk, labels.length)).toArray();
            try (NDManager scope = manager.newSubManager()) {
                NDArray first = getBatch(scope, indices).labels().head();
                if (first.getShape().dimension() != 1) {
                    return null;
                }
                int[] values = first.toType(DataType.INT32, false).toIntArray();
                System.arraycopy(values, 0, labels, start, values.length);
            }
        }
        return labels;
    }
}
