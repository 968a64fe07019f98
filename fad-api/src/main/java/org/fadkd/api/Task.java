package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a model is trained for and how it is measured: the task loss {@code L_task} and the
 * evaluation metrics. Data comes from a {@link LabeledDataset}, architectures from an {@link
 * Architecture}; a task ties them together.
 *
 * <p>Thread-safety: implementations are stateless apart from their settings.
 *
 * @since 0.1
 */
public interface Task {
    /**
     * Computes the task loss, averaged over the batch.
     *
     * @param output the model's primary output (logits), never null
     * @param labels the batch labels, never null
     * @return a scalar attached to {@code output}'s manager; differentiable w.r.t. {@code output}
     * @since 0.1
     */
    NDArray loss(NDArray output, NDList labels);

    /**
     * Creates an accumulator of this task's metrics for one evaluation pass.
     *
     * @return a new evaluator, never null
     * @since 0.1
     */
    TaskEvaluator newEvaluator();

    /**
     * Returns the name of the metric that decides the best epoch (higher is better).
     *
     * @return a key of {@link TaskEvaluator#getResults()}, never null
     * @since 0.1
     */
    default String getPrimaryMetric() {
        return "top1";
    }
}
