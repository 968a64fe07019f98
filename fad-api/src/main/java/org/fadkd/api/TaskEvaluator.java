package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * Accumulates a task's metrics over an evaluation pass.
 *
 * <p>Not thread-safe; one instance per pass. It must copy what it needs to the Java heap in
 * {@link #update}: the arrays passed in are closed after the call returns.
 *
 * @since 0.1
 */
public interface TaskEvaluator {
    /**
     * Adds one batch.
     *
     * @param output the model's primary output (logits), never null
     * @param labels the batch labels, never null
     * @since 0.1
     */
    void update(NDArray output, NDList labels);

    /**
     * Returns the metrics over everything added so far, e.g. {@code top1} and {@code top5} as
     * fractions in [0, 1].
     *
     * @return metric name to value, in a stable order, never null
     * @since 0.1
     */
    Map<String, Double> getResults();
}
