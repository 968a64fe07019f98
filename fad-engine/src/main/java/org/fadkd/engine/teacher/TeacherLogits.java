package org.fadkd.engine.teacher;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.TapLayout;

/**
 * The teacher's logits for every training sample, by sample index (fad-spec §9, teacher-logit
 * cache), kept on the Java heap: a float32 {@code N × C} matrix in row-major order, never a
 * long-lived NDArray.
 *
 * @param values {@code N·C} logits, row {@code i} the logits of sample {@code i}; not copied, not
 *     to be modified
 * @param samples {@code N}, the size of the training split
 * @param classes {@code C}, the width of the teacher's output
 * @param taps the teacher's taps with per-sample shapes (as the probe batch gave them), so that a
 *     method can be prepared without running the teacher
 */
public record TeacherLogits(float[] values, int samples, int classes, TapLayout taps) {
    public TeacherLogits {
        requireNonNull(values, "values is null");
        requireNonNull(taps, "taps is null");
        if (samples < 1 || classes < 1 || (long) samples * classes != values.length) {
            throw new IllegalArgumentException(String.format(
                    "%d samples of %d classes do not fit %d values", samples, classes, values.length));
        }
    }

    /**
     * Gathers the logits of {@code indices} into a new {@code (B, C)} float32 array.
     *
     * @param manager the manager the array is attached to (the step's); the caller closes it
     * @param indices sample indices, each in {@code [0, N)}
     */
    public NDArray gather(NDManager manager, int[] indices) {
        float[] rows = new float[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= samples) {
                throw new IndexOutOfBoundsException("sample index " + index + " is outside the " + samples
                        + " cached teacher logits");
            }
            System.arraycopy(values, index * classes, rows, i * classes, classes);
        }
        return manager.create(rows, new Shape(indices.length, classes));
    }
}
