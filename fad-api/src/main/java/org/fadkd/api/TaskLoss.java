package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;

/**
 * {@code L = L_task}: training without a teacher. The host trains teachers and a trainer's
 * task-loss stages with it, so that neither needs a method plugin; method {@code none} is this
 * loss as a component users can choose (fad-spec §11.1).
 *
 * @since 0.2
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
