package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;

/**
 * What a {@link DistillationLoss} learns about the run before its first step ({@link
 * DistillationLoss#prepare}): the tapped shapes seen in a probe batch, the embedding sizes, the
 * training split, and a run-scoped manager for the extra modules and buffers it builds.
 *
 * @param teacher the teacher's taps; empty when the method needs nothing from the teacher
 * @param student the student's taps, never null
 * @param teacherEmbeddingSize {@code d_T}, or 0 when the teacher exposes no embedding
 * @param studentEmbeddingSize {@code d_S}, or 0 when the student exposes no embedding
 * @param teacherModel the teacher's model name, for messages, never null
 * @param studentModel the student's model name, for messages, never null
 * @param manager a manager that lives as long as the run: extra modules are initialised and
 *     buffers (memory banks) allocated on it, never null
 * @param trainingSamples {@code n}, the size of the training split; sample indices lie in {@code
 *     [0, n)}
 * @param trainingLabels the class index of every training sample, by sample index; null unless the
 *     method requires {@link BatchField#SAMPLE_INDICES} and the task has class labels. Not copied:
 *     do not modify it
 * @param epochs the number of epochs the run trains
 * @param seed the job's seed, from which the method derives its own generators
 * @since 0.1
 */
public record MethodSetup(
        TapLayout teacher,
        TapLayout student,
        long teacherEmbeddingSize,
        long studentEmbeddingSize,
        String teacherModel,
        String studentModel,
        NDManager manager,
        int trainingSamples,
        int[] trainingLabels,
        int epochs,
        long seed) {
    public MethodSetup {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        requireNonNull(teacherModel, "teacherModel is null");
        requireNonNull(studentModel, "studentModel is null");
        requireNonNull(manager, "manager is null");
        if (teacherEmbeddingSize < 0 || studentEmbeddingSize < 0 || trainingSamples < 0 || epochs < 0) {
            throw new IllegalArgumentException("sizes and counts must not be negative");
        }
    }
}
