package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.engine.flow.Scalars;

/**
 * Knowledge distillation: {@code D_kd = T²·(1/B) Σ_b KL(p^T_b ‖ p^S_b)} with {@code p =
 * softmax(z/T)} ("batchmean"), and alone {@code L = (1 − α)·L_task + α·D_kd}.
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
        NDArray student = batch.studentOutput();
        NDArray teacher = batch.teacherOutput();
        if (teacher == null) {
            throw new IllegalStateException("method 'kd' needs the teacher output, but the batch has none");
        }
        checkClasses(teacher.getShape(), student.getShape());
        double temperature = settings.temperature();
        // The teacher is a constant; stopGradient also guards hosts that ran it under the collector.
        NDArray teacherLog = teacher.stopGradient().div(temperature).logSoftmax(-1);
        NDArray studentLog = student.div(temperature).logSoftmax(-1);
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

    private static void checkClasses(Shape teacher, Shape student) {
        long teacherClasses = teacher.get(teacher.dimension() - 1);
        long studentClasses = student.get(student.dimension() - 1);
        if (teacherClasses != studentClasses) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method 'kd' needs teacher and student outputs over the same classes: the teacher gives '"
                            + teacherClasses + "' classes " + teacher + ", the student '" + studentClasses
                            + "' " + student + ". Build both for the same dataset.");
        }
    }
}
