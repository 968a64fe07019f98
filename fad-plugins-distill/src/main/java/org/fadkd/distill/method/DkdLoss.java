package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.flow.Scalars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoupled knowledge distillation (fad-spec §11.8): KL(p^T‖p^S) split into the target-class part
 * TCKD, over the binary distribution {@code (p_t, 1 − p_t)}, and the non-target part NCKD, over the
 * softmax of the other classes; {@code D_dkd = min(epoch/W, 1)·(α·TCKD + β·NCKD)} and alone {@code L
 * = task-weight·L_task + D_dkd}.
 *
 * <p>The target class is removed from the non-target softmax by gathering the other columns, not by
 * mdistiller's subtraction of 1000 from its logit; the values agree. Everything is computed from
 * log-probabilities, so a teacher that is certain of the target ({@code p_t} rounding to 1) gives
 * finite terms rather than {@code 0·ln 0}.
 *
 * @since 0.1
 */
public final class DkdLoss implements DistillationLoss {
    private static final Logger LOG = LoggerFactory.getLogger(DkdLoss.class);

    private final FirstStepWarnings warnings = new FirstStepWarnings(LOG);

    private final DkdSettings settings;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public DkdLoss(DkdSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public DkdSettings getSettings() {
        return settings;
    }

    /**
     * Warns (at the first step) when the warm-up lasts as long as the run or longer, because D_dkd
     * then reaches its full weight only in the last epoch, or never.
     */
    @Override
    public void prepare(MethodSetup setup) {
        warnings.clear();
        if (settings.warmupEpochs() >= setup.epochs()) {
            warnings.add(String.format("Method 'dkd': warmup-epochs = %d is not below the run's %d epochs: D_dkd is"
                            + " scaled by min(epoch/%d, 1), so it reaches its full weight %s. Lower warmup-epochs"
                            + " or train longer.",
                    settings.warmupEpochs(), setup.epochs(), settings.warmupEpochs(),
                    settings.warmupEpochs() == setup.epochs() ? "only in the last epoch" : "never"));
        }
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        return weighted(terms(batch), batch.progress().epoch());
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        Decoupled decoupled = terms(batch);
        NDArray distillation = weighted(decoupled, batch.progress().epoch());
        NDArray total = Scalars.mul(batch.taskLoss(), settings.taskWeight()).add(distillation);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", batch.taskLoss());
        terms.put("L_dkd", distillation);
        terms.put("tckd", decoupled.tckd());
        terms.put("nckd", decoupled.nckd());
        return new LossValue(total, terms);
    }

    @Override
    public Set<BatchField> getRequirements() {
        return EnumSet.of(BatchField.TEACHER_OUTPUT);
    }

    private NDArray weighted(Decoupled decoupled, int epoch) {
        NDArray sum = Scalars.mul(decoupled.tckd(), settings.alpha())
                .add(Scalars.mul(decoupled.nckd(), settings.beta()));
        return Scalars.mul(sum, settings.warmupFactor(epoch));
    }

    private Decoupled terms(DistillationBatch batch) {
        warnings.flush();
        NDArray student = batch.studentOutput();
        NDArray teacher = batch.teacherOutput();
        if (teacher == null) {
            throw new IllegalStateException("method 'dkd' needs the teacher output, but the batch has none");
        }
        checkShapes(teacher.getShape(), student.getShape());
        PerSample perSample = perSample(student, teacher, batch.labels().head(), settings.temperature());
        double scale = settings.temperature() * settings.temperature();
        return new Decoupled(Scalars.mul(perSample.binaryKl().mean(), scale),
                Scalars.mul(perSample.nonTargetKl().mean(), scale));
    }

    /**
     * Computes, per sample, {@code KL(b^T‖b^S)}, {@code KL(p̂^T‖p̂^S)} and {@code p^T_t}, without the
     * factor {@code T²}.
     *
     * @param student the student's logits {@code (B, C)}, C at least 2
     * @param teacher the teacher's logits {@code (B, C)}, treated as a constant
     * @param labels the target classes {@code (B)}
     * @param temperature T
     * @return three arrays {@code (B)} on the student's manager
     */
    static PerSample perSample(NDArray student, NDArray teacher, NDArray labels, double temperature) {
        long classes = student.getShape().get(1);
        NDManager manager = student.getManager();
        long[] targets = labels.toType(DataType.INT64, false).toLongArray();
        NDArray targetIndex = manager.create(targets, new Shape(targets.length, 1));
        NDArray otherIndex = manager.create(otherClasses(targets, classes), new Shape(targets.length, classes - 1));
        LogParts s = LogParts.of(Scalars.mul(student, 1 / temperature).logSoftmax(1), targetIndex, otherIndex);
        // The teacher is a constant; stopGradient also guards hosts that ran it under the collector.
        LogParts t = LogParts.of(Scalars.mul(teacher.stopGradient(), 1 / temperature).logSoftmax(1),
                targetIndex, otherIndex);
        NDArray binary = t.target().exp().mul(t.target().sub(s.target()))
                .add(t.rest().exp().mul(t.rest().sub(s.rest())));
        NDArray teacherOthers = t.others().sub(t.rest());
        NDArray nonTarget = teacherOthers.exp().mul(teacherOthers.sub(s.others().sub(s.rest()))).sum(new int[] {1});
        return new PerSample(binary.squeeze(1), nonTarget, t.target().exp().squeeze(1));
    }

    /** Row {@code b} lists the classes other than {@code targets[b]}, in order. */
    private static long[] otherClasses(long[] targets, long classes) {
        long[] others = new long[Math.toIntExact(targets.length * (classes - 1))];
        int k = 0;
        for (long target : targets) {
            if (target < 0 || target >= classes) {
                throw new IllegalArgumentException("label " + target + " outside [0, " + classes + ")");
            }
            for (long c = 0; c < classes; c++) {
                if (c != target) {
                    others[k++] = c;
                }
            }
        }
        return others;
    }

    private static void checkShapes(Shape teacher, Shape student) {
        if (student.dimension() != 2 || !teacher.equals(student) || student.get(1) < 2) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method 'dkd' needs teacher and student logits (batch, classes) over the same classes, at least"
                            + " 2: the teacher gives " + teacher + ", the student " + student
                            + ". Build both for the same classification dataset.");
        }
    }

    /** The batch terms TCKD and NCKD, with the factor {@code T²}. */
    private record Decoupled(NDArray tckd, NDArray nckd) {}

    /**
     * Per-sample parts of the decomposition.
     *
     * @param binaryKl {@code KL(b^T‖b^S)}, {@code (B)}
     * @param nonTargetKl {@code KL(p̂^T‖p̂^S)}, {@code (B)}
     * @param teacherTarget {@code p^T_t}, {@code (B)}
     */
    record PerSample(NDArray binaryKl, NDArray nonTargetKl, NDArray teacherTarget) {}

    /**
     * One network's log-probabilities split at the target: {@code ln p_t} {@code (B, 1)}, {@code ln
     * p_c} of the other classes {@code (B, C−1)} and {@code ln(1 − p_t) = ln Σ_{c≠t} p_c} {@code (B,
     * 1)}, the last as a log-sum-exp so that it stays finite when {@code p_t} rounds to 1.
     */
    private record LogParts(NDArray target, NDArray others, NDArray rest) {
        static LogParts of(NDArray logProbabilities, NDArray targetIndex, NDArray otherIndex) {
            NDArray others = logProbabilities.gather(otherIndex, 1);
            // The shift only keeps exp() in range; its value does not change the result.
            NDArray shift = others.max(new int[] {1}, true).stopGradient();
            NDArray rest = others.sub(shift).exp().sum(new int[] {1}, true).log().add(shift);
            return new LogParts(logProbabilities.gather(targetIndex, 1), others, rest);
        }
    }
}
