package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.DenseDetectionOutput;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.flow.Scalars;

/**
 * Knowledge distillation: {@code D_kd = T²·(1/B) Σ_b KL(p^T_b ‖ p^S_b)} with {@code p =
 * softmax(z/T)} ("batchmean"), and alone {@code L = (1 − α)·L_task + α·D_kd}. Between two
 * detectors ({@link DenseDetectionOutput}) the term is the per-location Bernoulli form of {@link
 * HeatmapKd} at the heatmap temperature instead, and between two sequence models (logits {@code
 * (B, L, V)}, language modelling) the per-position form of {@link SequenceKd}, averaged over the
 * token positions the labels' mask marks (fad-spec §12).
 *
 * @since 0.1
 */
public final class KdLoss implements DistillationLoss {
    private final KdSettings settings;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public KdLoss(KdSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public KdSettings getSettings() {
        return settings;
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray teacher = batch.teacherOutput();
        if (teacher == null) {
            throw new IllegalStateException("method 'kd' needs the teacher output, but the batch has none");
        }
        double temperature = DenseDetectionOutput.isDenseDetection(batch.studentOutput().getShape())
                ? settings.heatmapTemperature()
                : settings.temperature();
        return divergence(batch.studentOutput(), teacher, batch.labels(), temperature, KdFactory.NAME);
    }

    /**
     * Computes {@code D_kd = T²·(1/B) Σ_b KL(softmax(z_T/T) ‖ softmax(z_S/T))} ("batchmean"), the
     * distillation term of kd and the term that feature methods add with their {@code kd-weight}
     * (fad-spec §11.2, §11 intro). A detector's output ({@link DenseDetectionOutput}, rank 4) gets
     * the per-location Bernoulli form of {@link HeatmapKd} instead (fad-spec §12). Per-position
     * logits {@code (B, L, V)} need the batch labels for their padding mask: use {@link
     * #divergence(NDArray, NDArray, NDList, double, String)}.
     *
     * @param student the student's logits {@code (B, C)}, with gradient, never null
     * @param teacher the teacher's logits {@code (B, C)}, treated as a constant, never null
     * @param temperature {@code T > 0}
     * @param method the method asking, for the message of a class mismatch, never null
     * @return a scalar in the logits' data type, attached to the teacher logits' manager (the
     *     batch's)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the class counts
     *     differ, or for per-position logits, which this form cannot mask
     * @since 0.1
     */
    public static NDArray divergence(NDArray student, NDArray teacher, double temperature, String method) {
        return divergence(student, teacher, null, temperature, method);
    }

    /**
     * Computes the distillation term of kd for any output kd takes: {@code (B, C)} logits as
     * {@link #divergence(NDArray, NDArray, double, String)} does, a detector's output by {@link
     * HeatmapKd}, and a sequence model's per-position logits {@code (B, L, V)} by {@link
     * SequenceKd}, which reads the position mask from the labels.
     *
     * @param student the student's output, with gradient, never null
     * @param teacher the teacher's output of the same kind, treated as a constant, never null
     * @param labels the batch labels, needed for per-position logits (their last array is the
     *     position mask {@code (B, L)}); may be null for the other outputs
     * @param temperature {@code T > 0}
     * @param method the method asking, for messages, never null
     * @return a scalar in the logits' data type, attached to the batch's manager
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the outputs do not
     *     match (classes, vocabulary, shapes) or per-position logits come without a mask
     * @since 0.2
     */
    public static NDArray divergence(
            NDArray student, NDArray teacher, NDList labels, double temperature, String method) {
        requireNonNull(student, "student is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(method, "method is null");
        if (DenseDetectionOutput.isDenseDetection(student.getShape())) {
            return HeatmapKd.divergence(student, teacher, temperature, method);
        }
        if (SequenceKd.isPerPosition(student.getShape())) {
            if (labels == null) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "Method '%s' cannot distil per-position logits %s: it passes no batch labels, whose last"
                                + " array is the position mask. Method 'kd' distils language models.",
                        method, student.getShape()));
            }
            return SequenceKd.divergence(student, teacher, labels, temperature, method);
        }
        checkClasses(teacher.getShape(), student.getShape(), method);
        // The teacher is a constant; stopGradient also guards hosts that ran it under the collector.
        NDArray teacherLog = Scalars.div(teacher.stopGradient(), temperature).logSoftmax(-1);
        NDArray studentLog = Scalars.div(student, temperature).logSoftmax(-1);
        long batchSize = student.getShape().get(0);
        return Scalars.mul(
                teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(),
                temperature * temperature / batchSize);
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray distillation = distillationTerm(batch);
        NDArray total = Scalars.mul(batch.taskLoss(), 1 - settings.alpha())
                .add(Scalars.mul(distillation, settings.alpha()));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", batch.taskLoss());
        terms.put("L_kd", distillation);
        return new LossValue(total, terms);
    }

    private static void checkClasses(Shape teacher, Shape student, String method) {
        long teacherClasses = teacher.get(teacher.dimension() - 1);
        long studentClasses = student.get(student.dimension() - 1);
        if (teacherClasses != studentClasses) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method '" + method + "' needs teacher and student outputs over the same classes: the teacher gives '"
                            + teacherClasses + "' classes " + teacher + ", the student '" + studentClasses
                            + "' " + student + ". Build both for the same dataset.");
        }
    }
}
