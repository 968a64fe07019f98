package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.flow.Scalars;

/**
 * Label smoothing (fad-spec §11.1): cross-entropy against {@code q = (1 − ε)·onehot(y) + ε/C},
 * {@code L = −(1/B) Σ_b Σ_c q_bc ln softmax(z_b)_c}, in place of the task's cross-entropy. No
 * teacher is run.
 *
 * <p>The method has no distillation term in the usual sense. {@link #distillationTerm} returns the
 * smoothed cross-entropy itself, so that {@code D_X} is the loss the method trains on; fad does not
 * accept this method as its kd-term ({@code FadSettings} rejects it), because that would add a
 * second task loss.
 *
 * @since 0.1
 */
public final class LabelSmoothingLoss implements DistillationLoss {
    private final LabelSmoothingSettings settings;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public LabelSmoothingLoss(LabelSmoothingSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public LabelSmoothingSettings getSettings() {
        return settings;
    }

    /**
     * Computes the smoothed cross-entropy of the student's logits, written as {@code (1 − ε)·CE +
     * ε·(−(1/B) Σ_b (1/C) Σ_c ln softmax(z_b)_c)} so that no target matrix is built.
     */
    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray logits = batch.studentOutput();
        Shape shape = logits.getShape();
        if (shape.dimension() != 2) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method 'label-smoothing' needs class logits (batch, classes), but the student gives "
                            + shape + ". Use it with a classification task.");
        }
        long batchSize = shape.get(0);
        long classes = shape.get(1);
        double epsilon = settings.epsilon();
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray targets = batch.labels().head().toType(DataType.INT64, false).expandDims(1);
        NDArray targetLogProbabilities = logProbabilities.gather(targets, 1).sum();
        NDArray allLogProbabilities = logProbabilities.sum();
        NDArray smoothed = Scalars.mul(targetLogProbabilities, (1 - epsilon))
                .add(Scalars.mul(allLogProbabilities, epsilon / classes));
        return Scalars.mul(smoothed, -1.0 / batchSize);
    }

    /**
     * Returns the smoothed cross-entropy as the total; {@code L_task}, the plain cross-entropy, is
     * reported for comparison with other methods only.
     */
    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray smoothed = distillationTerm(batch);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", batch.taskLoss());
        terms.put("L_ls", smoothed);
        return new LossValue(smoothed, terms);
    }

    @Override
    public Set<BatchField> getRequirements() {
        return Set.of();
    }
}
