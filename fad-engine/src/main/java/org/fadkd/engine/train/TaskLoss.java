package org.fadkd.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;

/**
 * {@code L = L_task}: how the host trains a model without a teacher (a teacher, or a stage a
 * trainer runs on the task loss alone). Built into the host so that training a teacher needs no
 * method plugin.
 */
public final class TaskLoss implements DistillationLoss {
    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        return batch.manager().zeros(new Shape(), batch.taskLoss().getDataType());
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        return new LossValue(batch.taskLoss(), Map.of("L_task", batch.taskLoss()));
    }

    @Override
    public Set<BatchField> getRequirements() {
        return Set.of();
    }
}
