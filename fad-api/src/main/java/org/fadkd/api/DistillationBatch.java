package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * Everything a {@link DistillationLoss} sees of one training batch.
 *
 * <p>Teacher arrays carry no gradient (the teacher runs in inference mode outside the gradient
 * collector); student arrays do. Fields a method did not {@linkplain
 * DistillationLoss#getRequirements() require} may be null or empty. All arrays belong to {@link
 * #manager()}, which the host closes after the optimizer step; results a method computes must be
 * attached there too (DJL attaches an op's result to its first operand's manager, so computing
 * from these arrays does that by itself).
 *
 * @param manager the batch-scoped manager, never null
 * @param studentOutput the student's primary output (logits), with gradient, never null
 * @param studentTaps the student's tap outputs in execution order; empty unless {@link
 *     BatchField#STUDENT_TAPS} was required
 * @param studentEmbedding the student's embedding {@code (B, d_S)}, with gradient; null unless
 *     {@link BatchField#EMBEDDINGS} was required
 * @param teacherOutput the teacher's primary output; null unless {@link BatchField#TEACHER_OUTPUT}
 *     was required
 * @param teacherTaps the teacher's tap outputs; empty unless {@link BatchField#TEACHER_TAPS} was
 *     required
 * @param teacherEmbedding the teacher's embedding {@code (B, d_T)}; null unless {@link
 *     BatchField#EMBEDDINGS} was required
 * @param labels the batch labels, never null
 * @param taskLoss {@code L_task} of the student, a differentiable scalar, never null
 * @param sampleIndices int64 dataset indices {@code (B)}; null unless {@link
 *     BatchField#SAMPLE_INDICES} was required
 * @param progress epoch and step, never null
 * @param moduleParameters the store through which the method runs its extra modules ({@link
 *     DistillationLoss#getTrainableBlocks()}) in training mode: {@code block.forward(
 *     batch.moduleParameters(), inputs, true)}. The host's optimizer updates exactly the
 *     parameters fetched through it, after the student's step; never null
 * @since 0.1
 */
public record DistillationBatch(
        NDManager manager,
        NDArray studentOutput,
        NDList studentTaps,
        NDArray studentEmbedding,
        NDArray teacherOutput,
        NDList teacherTaps,
        NDArray teacherEmbedding,
        NDList labels,
        NDArray taskLoss,
        NDArray sampleIndices,
        TrainingProgress progress,
        ParameterStore moduleParameters) {
    public DistillationBatch {
        requireNonNull(manager, "manager is null");
        requireNonNull(studentOutput, "studentOutput is null");
        requireNonNull(studentTaps, "studentTaps is null");
        requireNonNull(teacherTaps, "teacherTaps is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(taskLoss, "taskLoss is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(moduleParameters, "moduleParameters is null");
    }
}
