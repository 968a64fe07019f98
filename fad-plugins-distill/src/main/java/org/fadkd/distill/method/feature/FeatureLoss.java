package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.distill.method.KdLoss;
import org.fadkd.distill.method.SequenceKd;
import org.fadkd.flow.Scalars;

/**
 * What the feature methods share (fad-spec §11 intro): they read paired teacher and student taps,
 * and alone train on {@code L = task-weight·L_task + D_X (+ kd-weight·D_kd, T = 4)}; under fad the
 * term {@code D_X} is used alone and unscaled ({@link #distillationTerm}).
 *
 * <p>A subclass picks the pairs it uses and builds its extra modules in {@link #build}, and computes
 * {@code D_X} from {@link #matchedTaps}.
 *
 * @since 0.1
 */
public abstract class FeatureLoss implements DistillationLoss {
    /** The temperature of the {@code D_kd} added with {@code kd-weight}. */
    public static final double KD_TEMPERATURE = 4;

    private final String name;
    private final FeatureSettings common;
    private List<TapPair> pairs = List.of();

    /**
     * Creates the loss.
     *
     * @param name the method's name, for messages and the logged term {@code L_<name>}, never null
     * @param common the settings every feature method has, never null
     * @since 0.1
     */
    protected FeatureLoss(String name, FeatureSettings common) {
        this.name = requireNonNull(name, "name is null");
        this.common = requireNonNull(common, "common is null");
    }

    /**
     * Returns the settings every feature method has.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public final FeatureSettings getFeatureSettings() {
        return common;
    }

    /**
     * Returns the pairs this method compares, chosen by {@link #prepare}.
     *
     * @return the pairs, empty before {@code prepare}
     * @since 0.1
     */
    public final List<TapPair> getPairs() {
        return pairs;
    }

    /** Both models' taps; the teacher's logits only for an added {@code D_kd}. */
    @Override
    public final Set<BatchField> getRequirements() {
        Set<BatchField> requirements = EnumSet.of(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS);
        if (common.kdWeight() > 0) {
            requirements.add(BatchField.TEACHER_OUTPUT);
        }
        return requirements;
    }

    /** Resolves the tap pairs (fad-spec §1) and lets the method pick its own and build its modules. */
    @Override
    public final void prepare(MethodSetup setup) {
        requireNonNull(setup, "setup is null");
        pairs = List.copyOf(build(setup, FeaturePairing.resolve(name, setup, common.pairs())));
    }

    /**
     * Picks the pairs the method compares, checks them and builds the extra modules for them on
     * {@code setup.manager()}. Called by {@link #prepare}, possibly more than once (each call
     * replaces the modules).
     *
     * @param setup the run, never null
     * @param pairs the explicit or automatic pairs, at least one, never null
     * @return the pairs the method compares, at least one
     * @throws org.fadkd.api.FadException with INCOMPATIBLE_COMPONENTS when a pair does not suit the
     *     method
     * @since 0.1
     */
    protected abstract List<TapPair> build(MethodSetup setup, List<TapPair> pairs);

    @Override
    public final LossValue compute(DistillationBatch batch) {
        NDArray task = batch.taskLoss();
        NDArray term = distillationTerm(batch);
        if (term.getDataType() != task.getDataType()) {
            term = term.toType(task.getDataType(), false);
        }
        NDArray total = Scalars.mul(task, common.taskWeight()).add(term);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", task);
        terms.put("L_" + name, term);
        if (common.kdWeight() > 0) {
            if (batch.teacherOutput() == null) {
                throw new IllegalStateException("method '" + name + "' with kd-weight > 0 needs the teacher output");
            }
            NDArray kd = KdLoss.divergence(batch.studentOutput(), batch.teacherOutput(), batch.labels(), KD_TEMPERATURE, name);
            total = total.add(Scalars.mul(kd, common.kdWeight()));
            terms.put("L_kd", kd);
        }
        return new LossValue(total, terms);
    }

    /**
     * Returns a pair's tap outputs of a batch after the shape-matching rule: the student's (with
     * gradient) and the teacher's (a constant).
     *
     * @param batch the batch, never null
     * @param pair one of {@link #getPairs()}, never null
     * @return {@code [student, teacher]}, attached to the batch's manager
     * @since 0.1
     */
    protected final NDArray[] matchedTaps(DistillationBatch batch, TapPair pair) {
        NDArray student = tap(batch.studentTaps(), pair.studentIndex(), "student");
        // The teacher is a constant; stopGradient also guards hosts that ran it under the collector.
        NDArray teacher = tap(batch.teacherTaps(), pair.teacherIndex(), "teacher").stopGradient();
        return ShapeMatching.match(student, teacher);
    }

    /**
     * Returns the position mask of a sequence batch for a pair's token taps, or null when the batch
     * has none (fad-spec §12): when the student is a sequence model (output {@code (B, L, V)}), the
     * task's labels carry the mask {@code (B, L)}, 1 for a token and 0 for padding, as their last
     * array, and the matched taps are {@code (B, L, H)} over those positions. A text classifier's
     * labels are class ids {@code (B)} without a mask: there every position counts, padding too.
     *
     * @param batch the batch, never null
     * @param tap one of the pair's matched taps, never null
     * @return the mask {@code (B, L)} in the tap's data type on the batch's manager, or null
     * @since 0.2
     */
    protected static NDArray positionMask(DistillationBatch batch, NDArray tap) {
        Shape tapShape = tap.getShape();
        NDList labels = batch.labels();
        if (!SequenceKd.isPerPosition(batch.studentOutput().getShape()) || tapShape.dimension() != 3
                || labels.isEmpty()) {
            return null;
        }
        NDArray mask = labels.get(labels.size() - 1);
        if (!mask.getShape().equals(new Shape(tapShape.get(0), tapShape.get(1)))) {
            return null;
        }
        return mask.toType(tap.getDataType(), false);
    }

    /**
     * Returns the pairs chosen by {@link #prepare}, for {@link #distillationTerm}.
     *
     * @return at least one pair
     * @throws IllegalStateException before {@code prepare}
     * @since 0.1
     */
    protected final List<TapPair> preparedPairs() {
        if (pairs.isEmpty()) {
            throw new IllegalStateException("method '" + name + "' was not prepared");
        }
        return pairs;
    }

    /**
     * Returns the method's name.
     *
     * @return the name, never null
     * @since 0.1
     */
    protected final String name() {
        return name;
    }

    private NDArray tap(NDList taps, int index, String role) {
        if (index >= taps.size()) {
            throw new IllegalStateException("method '" + name + "' needs " + role + " tap " + index
                    + " but the batch has " + taps.size() + " " + role + " taps");
        }
        return taps.get(index);
    }
}
