package org.fadkd.engine.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.engine.model.TappedModel;

/** Measures a model on a split with the task's metrics, in inference mode. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * Evaluates every sample of the split once, in order. Each batch lives in its own sub-manager,
     * so peak native memory is one batch's activations.
     */
    public static Map<String, Double> evaluate(
            TappedModel model, Task task, DataSplit split, int batchSize, NDManager parent) {
        return evaluate(model, task, split, batchSize, Integer.MAX_VALUE, parent);
    }

    /**
     * Evaluates the first {@code maxBatches} batches of the split, in order (all of them when the
     * split has fewer), as {@link #evaluate(TappedModel, Task, DataSplit, int, NDManager)} does.
     * The last batch may be partial.
     *
     * @param maxBatches the most batches to evaluate, at least 1
     */
    public static Map<String, Double> evaluate(
            TappedModel model, Task task, DataSplit split, int batchSize, int maxBatches, NDManager parent) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("an evaluation needs at least 1 batch, got " + maxBatches);
        }
        TaskEvaluator evaluator = task.newEvaluator();
        List<int[]> batches = BatchPlan.plan(split.size(), batchSize, false, false, 0);
        for (int[] indices : batches.subList(0, Math.min(maxBatches, batches.size()))) {
            StopRequest.check();
            try (NDManager batchManager = parent.newSubManager()) {
                LabeledBatch batch = split.getBatch(batchManager, indices);
                NDList outputs = model.infer(batch.inputs());
                evaluator.update(outputs.head(), batch.labels());
            }
        }
        return evaluator.getResults();
    }
}
