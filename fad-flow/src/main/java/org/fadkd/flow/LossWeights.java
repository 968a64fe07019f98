package org.fadkd.flow;

import ai.djl.ndarray.NDArray;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

/**
 * The weights of the total loss {@code L = α·L_task + β·L_KD + γ·L_FAD} (fad-spec §6).
 *
 * @param alpha α, the task-loss weight
 * @param beta β, the kd-term weight
 * @param gamma γ, the flow-loss weight
 * @since 0.1
 */
public record LossWeights(double alpha, double beta, double gamma) {
    public LossWeights {
        if (!Double.isFinite(alpha) || !Double.isFinite(beta) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException(
                    "loss weights must be finite, got " + alpha + ", " + beta + ", " + gamma);
        }
    }

    /**
     * Computes the adaptive weights from the mean teacher and student flows: with {@code Σ = d_T +
     * d_S + ε} and {@code Z = 1 + d_S/Σ + d_T/Σ}, {@code α = 1/Z}, {@code β = (d_S/Σ)/Z}, {@code γ =
     * (d_T/Σ)/Z}; they sum to 1.
     *
     * @param meanTeacherFlow {@code d_T}, the mean of the target profile
     * @param meanStudentFlow {@code d_S}, the mean of the student profile
     * @return the weights
     * @since 0.1
     */
    public static LossWeights adaptive(double meanTeacherFlow, double meanStudentFlow) {
        if (!Double.isFinite(meanTeacherFlow) || !Double.isFinite(meanStudentFlow)) {
            // A non-finite student flow means the student's activations already overflowed.
            throw new FadException(ErrorCode.TRAINING_DIVERGED, String.format(
                    "Training diverged: the mean flow of the %s profile is %s, so the adaptive loss weights"
                            + " are undefined. Lower trainer.learning-rate, or use method.weighting = fixed;"
                            + " the checkpoint of the last finished epoch, if any, is kept for --resume.",
                    Double.isFinite(meanStudentFlow) ? "teacher" : "student",
                    Double.isFinite(meanStudentFlow) ? meanTeacherFlow : meanStudentFlow));
        }
        double total = meanTeacherFlow + meanStudentFlow + DepthAlignment.EPSILON;
        double studentShare = meanStudentFlow / total;
        double teacherShare = meanTeacherFlow / total;
        double normaliser = 1 + studentShare + teacherShare;
        return new LossWeights(1 / normaliser, studentShare / normaliser, teacherShare / normaliser);
    }

    /**
     * Computes the adaptive weights from two profiles, each averaged over its own points. Only the
     * values are read (on the Java heap), so no gradient flows through the weights.
     *
     * @param teacherProfile the target profile {@code D^T}, 1-D, never null
     * @param studentProfile the student profile {@code D^S}, 1-D, never null
     * @return the weights
     * @since 0.1
     */
    public static LossWeights adaptive(NDArray teacherProfile, NDArray studentProfile) {
        DepthInterpolation.profileLength(teacherProfile);
        DepthInterpolation.profileLength(studentProfile);
        return adaptive(
                HostArrays.mean(HostArrays.toDoubles(teacherProfile)),
                HostArrays.mean(HostArrays.toDoubles(studentProfile)));
    }
}
