package org.fadkd.api;

/**
 * Optional parts of a {@link DistillationBatch} that a method asks for in {@link
 * DistillationLoss#getRequirements()}. The student's output, the labels and the task loss are
 * always present; the host computes only what some method requires (for example it skips the
 * teacher forward entirely for a method that needs nothing from the teacher).
 *
 * @since 0.1
 */
public enum BatchField {
    /** The teacher's primary output (logits), computed without gradient. */
    TEACHER_OUTPUT,
    /** The teacher's tap outputs, computed without gradient. */
    TEACHER_TAPS,
    /** The student's tap outputs, with gradient. */
    STUDENT_TAPS,
    /**
     * The teacher's and the student's embeddings (the classifier's input, {@link EmbeddingSource}),
     * the student's with gradient. Needs architectures whose embedding source is not {@link
     * EmbeddingSource#NONE}; the run fails when it is built otherwise.
     */
    EMBEDDINGS,
    /**
     * The dataset indices of the batch's samples (for memory banks); also makes the host pass the
     * training split's class labels in {@link MethodSetup#trainingLabels()}.
     */
    SAMPLE_INDICES
}
