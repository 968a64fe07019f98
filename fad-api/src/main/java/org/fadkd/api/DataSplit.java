package org.fadkd.api;

import ai.djl.ndarray.NDManager;

/**
 * Random access to the samples of one split. The host decides order and batching (seeded
 * shuffling, dropping the last partial batch) so that runs are reproducible whatever the dataset.
 *
 * <p>Thread-safety: {@link #getBatch} may be called from a loader thread other than the one that
 * trains, but never concurrently for the same split.
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
}
