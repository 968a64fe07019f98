package com.example.fad;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.flow.Scalars;

/**
 * Logit matching (Ba and Caruana, 2014): {@code D_l2 = (1/(B·C)) Σ_b ‖z_S − z_T‖²}, and
 * {@code L = (1 − α)·L_task + α·D_l2}. Needs only the teacher's output, the default requirement.
 */
final class L2LogitsLoss implements DistillationLoss {
    private final double alpha;

    L2LogitsLoss(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        if (batch.teacherOutput() == null) {
            throw new IllegalStateException("method 'l2-logits' needs the teacher output, but the batch has none");
        }
        // The teacher is a constant: no gradient may flow into it.
        NDArray teacher = batch.teacherOutput().stopGradient();
        return batch.studentOutput().sub(teacher).square().mean();
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray distillation = distillationTerm(batch);
        // Scalars, not NDArray.mul(Number): DJL frees that operand before the backward pass reads it.
        NDArray total = Scalars.mul(batch.taskLoss(), 1 - alpha).add(Scalars.mul(distillation, alpha));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", batch.taskLoss());
        terms.put("L_l2", distillation);
        return new LossValue(total, terms);
    }
}
