package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.flow.Scalars;

/**
 * Knowledge distillation on a detector's class heatmaps (fad-spec §12): every location and class
 * is a Bernoulli distribution {@code p = sigmoid(z/T)}, and
 * <pre>
 * D = T²·(1/(B·H'·W')) Σ_{b,c,y,x} [ p^T ln(p^T/p^S) + (1 − p^T) ln((1 − p^T)/(1 − p^S)) ]
 * </pre>
 * summed over classes, averaged over locations, the teacher constant. Only the heatmap logits of a
 * {@link DenseDetectionOutput} are distilled; its size and offset channels are not.
 *
 * @since 0.2
 */
public final class HeatmapKd {
    private HeatmapKd() {}

    /**
     * Computes {@code D} between two dense detection outputs.
     *
     * @param student the student's output {@code (B, C + 4, H', W')}, with gradient, never null
     * @param teacher the teacher's output of the same shape, treated as a constant, never null
     * @param temperature {@code T > 0}
     * @param method the method asking, for messages, never null
     * @return a scalar in the outputs' data type, attached to the student output's manager (the
     *     batch's)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the outputs differ in
     *     classes or output grid
     * @since 0.2
     */
    public static NDArray divergence(NDArray student, NDArray teacher, double temperature, String method) {
        requireNonNull(student, "student is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(method, "method is null");
        checkShapes(student.getShape(), teacher.getShape(), method);
        NDArray studentLogits = Scalars.div(DenseDetectionOutput.heatmapLogits(student), temperature);
        NDArray teacherLogits = Scalars.div(DenseDetectionOutput.heatmapLogits(teacher.stopGradient()), temperature);
        // ln p = −softplus(−z) and ln(1 − p) = −softplus(z): exact, and finite for saturated logits
        // where ln(sigmoid(z)) would take the log of 0.
        NDArray teacherLogP = Activation.softPlus(teacherLogits.neg()).neg();
        NDArray teacherLogQ = Activation.softPlus(teacherLogits).neg();
        NDArray studentLogP = Activation.softPlus(studentLogits.neg()).neg();
        NDArray studentLogQ = Activation.softPlus(studentLogits).neg();
        NDArray positive = teacherLogP.exp().mul(teacherLogP.sub(studentLogP));
        NDArray negative = teacherLogQ.exp().mul(teacherLogQ.sub(studentLogQ));
        Shape shape = student.getShape();
        long locations = shape.get(0) * shape.get(2) * shape.get(3);
        return Scalars.mul(positive.add(negative).sum(), temperature * temperature / locations);
    }

    private static void checkShapes(Shape student, Shape teacher, String method) {
        if (!DenseDetectionOutput.isDenseDetection(student) || !DenseDetectionOutput.isDenseDetection(teacher)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' distils detection heatmaps only between two detectors, whose outputs are (B, C + 4,"
                            + " H', W'); the student gives %s, the teacher %s. Use detection architectures for both.",
                    method, student, teacher));
        }
        if (!student.equals(teacher)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs teacher and student heatmaps over the same classes and output grid: the"
                            + " teacher gives %d classes on %dx%d cells %s, the student %d on %dx%d %s. Build both"
                            + " for the same dataset and input size.",
                    method, DenseDetectionOutput.classCount(teacher), teacher.get(2), teacher.get(3), teacher,
                    DenseDetectionOutput.classCount(student), student.get(2), student.get(3), student));
        }
    }
}
