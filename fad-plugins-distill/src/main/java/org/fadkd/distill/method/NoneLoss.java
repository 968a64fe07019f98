package org.fadkd.distill.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;

/**
 * {@code L = L_task}: the baseline without a teacher. It requires nothing from the teacher, so the
 * host skips the teacher forward.
 *
 * @since 0.1
 */
public final class NoneLoss implements DistillationLoss {
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
