package org.fadkd.distill.method.attention;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.method.KdLoss;
import org.fadkd.distill.method.attention.MiniLmSettings.Heads;
import org.fadkd.distill.method.feature.FeatureLoss;
import org.fadkd.flow.Scalars;

/**
 * MiniLM's self-attention distillation (Wang et al. 2020, "MiniLM: Deep Self-Attention Distillation
 * for Task-Agnostic Compression of Pre-Trained Transformers", the attention-distribution term): with
 * {@code P^T, P^S (B, A, L, L)} the teacher's and the student's attention probabilities of their last
 * layer (head {@code a}, query {@code i}, key {@code j}),
 * <pre>
 * D_minilm = β · (1/(A·N)) Σ_b Σ_a Σ_{i: m_bi = 1} Σ_j P^T_baij (ln P^T_baij − ln P^S_baij),   N = Σ_{b,i} m_bi
 * </pre>
 * the KL divergence per head and query position, averaged over the heads and the non-padding query
 * positions of the batch; the teacher is a constant. Alone the method trains on {@code task-weight ·
 * L_task + D_minilm (+ kd-weight · D_kd, T = 4)}; under fad ({@code kd-term = minilm}) on {@code
 * D_minilm} alone.
 *
 * <p>Heads: with {@code heads = match} (MiniLM) teacher and student must have the same number of
 * heads, paired by position; {@code heads = average} first averages each model's distributions over
 * its heads (a mean of distributions is a distribution) and compares them as one head, so any head
 * counts do. The value-relation term of the paper is not part of this method.
 *
 * <p>Padding: the method sees taps and labels, not the inputs, and a text-classification batch's
 * labels hold no padding mask. It reads the mask from the teacher's attention itself: an encoder
 * adds a large negative bias to the scores of padding keys, so after the softmax no query gives a
 * padding key any weight, exactly 0 in float32 (fad-plugins-nlp's bert adds −1e9). A position that
 * receives no attention from any query of any head of the teacher is padding: its query row is left
 * out of the average. Padding keys weigh 0 in every teacher row, so they add nothing to any KL. Logs
 * are taken of {@code max(P, 1e-12)}, so that a student probability that underflowed to 0 gives a
 * large finite term instead of an infinite one.
 *
 * @since 0.2
 */
public final class MiniLmLoss implements DistillationLoss {
    /** The floor of the probabilities whose logarithm is taken. */
    static final double PROBABILITY_FLOOR = 1e-12;

    private final MiniLmSettings settings;
    private int teacherTap = -1;
    private int studentTap = -1;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.2
     */
    public MiniLmLoss(MiniLmSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.2
     */
    public MiniLmSettings getSettings() {
        return settings;
    }

    /** Both models' taps; the teacher's logits only for an added {@code D_kd}. */
    @Override
    public Set<BatchField> getRequirements() {
        Set<BatchField> requirements = EnumSet.of(BatchField.STUDENT_TAPS, BatchField.TEACHER_TAPS);
        if (settings.kdWeight() > 0) {
            requirements.add(BatchField.TEACHER_OUTPUT);
        }
        return requirements;
    }

    /**
     * Finds the attention tap in both models and checks that the two can be compared.
     *
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when a model declares no
     *     such tap (every such model is named, with its taps and how to turn the tap on), when a tap
     *     is not {@code (heads, L, L)} per sample, or when the sequence lengths, or with {@code heads
     *     = match} the head counts, differ
     */
    @Override
    public void prepare(MethodSetup setup) {
        requireNonNull(setup, "setup is null");
        List<String> problems = new ArrayList<>();
        int teacher = find(setup.teacher(), setup.teacherModel(), "teacher", problems);
        int student = find(setup.student(), setup.studentModel(), "student", problems);
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method '" + MiniLmFactory.NAME + "' needs the attention tap '" + settings.tap()
                            + "' of both models:", problems);
        }
        Shape teacherShape = setup.teacher().shapes().get(teacher);
        Shape studentShape = setup.student().shapes().get(student);
        requireAttention(teacherShape, setup.teacherModel());
        requireAttention(studentShape, setup.studentModel());
        checkComparable(new Shape(1).addAll(studentShape), new Shape(1).addAll(teacherShape), settings.heads());
        teacherTap = teacher;
        studentTap = student;
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        if (teacherTap < 0) {
            throw new IllegalStateException("method '" + MiniLmFactory.NAME + "' was not prepared");
        }
        NDArray student = tap(batch.studentTaps(), studentTap, "student");
        NDArray teacher = tap(batch.teacherTaps(), teacherTap, "teacher");
        return Scalars.mul(divergence(student, teacher, settings.heads()), settings.beta());
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray task = batch.taskLoss();
        NDArray term = distillationTerm(batch);
        if (term.getDataType() != task.getDataType()) {
            term = term.toType(task.getDataType(), false);
        }
        NDArray total = Scalars.mul(task, settings.taskWeight()).add(term);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", task);
        terms.put("L_" + MiniLmFactory.NAME, term);
        if (settings.kdWeight() > 0) {
            if (batch.teacherOutput() == null) {
                throw new IllegalStateException(
                        "method '" + MiniLmFactory.NAME + "' with kd-weight > 0 needs the teacher output");
            }
            NDArray kd = KdLoss.divergence(batch.studentOutput(), batch.teacherOutput(), batch.labels(),
                    FeatureLoss.KD_TEMPERATURE, MiniLmFactory.NAME);
            total = total.add(Scalars.mul(kd, settings.kdWeight()));
            terms.put("L_kd", kd);
        }
        return new LossValue(total, terms);
    }

    /**
     * Computes {@code D_minilm / β}: the mean KL divergence between two attention taps over the heads
     * and the non-padding query positions, padding read from the teacher (see the class comment).
     *
     * @param student the student's probabilities {@code (B, A_S, L, L)}, with gradient, never null
     * @param teacher the teacher's probabilities {@code (B, A_T, L, L)}, treated as a constant, never
     *     null
     * @param heads how heads are paired
     * @return a scalar in the student's data type, attached to its manager (the batch's)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the shapes cannot be
     *     compared, or when the teacher's attention marks no position as a token
     * @since 0.2
     */
    public static NDArray divergence(NDArray student, NDArray teacher, Heads heads) {
        requireNonNull(student, "student is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(heads, "heads is null");
        checkComparable(student.getShape(), teacher.getShape(), heads);
        // stopGradient also guards hosts that ran the teacher under the collector.
        NDArray target = teacher.stopGradient();
        NDArray prediction = student;
        if (heads == Heads.AVERAGE) {
            target = target.mean(new int[] {1}, true);
            prediction = prediction.mean(new int[] {1}, true);
        }
        if (target.getDataType() != prediction.getDataType()) {
            target = target.toType(prediction.getDataType(), false);
        }
        // (B, L): 1 where some query of some head attends to the position, i.e. it is a token.
        NDArray tokens = target.sum(new int[] {1, 2}).gt(0).toType(prediction.getDataType(), false);
        // Read back to the host: a Java constant, like the batch size of kd's batchmean.
        double positions = tokens.sum().toType(DataType.FLOAT64, false).getDouble();
        if (!(positions > 0)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s': the teacher's attention %s gives no position any weight, so there is no token to"
                            + " distil. The tap must hold attention probabilities (each query's row summing to 1).",
                    MiniLmFactory.NAME, teacher.getShape()));
        }
        long headCount = target.getShape().get(1);
        NDArray logTarget = Scalars.maximum(target, PROBABILITY_FLOOR).log();
        NDArray logPrediction = Scalars.maximum(prediction, PROBABILITY_FLOOR).log();
        // KL per head and query (B, A, L), summed over the keys; a key the teacher gives 0 adds 0.
        NDArray perQuery = target.mul(logTarget.sub(logPrediction)).sum(new int[] {-1});
        NDArray kept = perQuery.mul(tokens.expandDims(1));
        return Scalars.div(kept.sum(), headCount * positions);
    }

    private int find(TapLayout layout, String model, String role, List<String> problems) {
        int index = layout.names().indexOf(settings.tap());
        if (index < 0) {
            problems.add(String.format(
                    "The %s model '%s' declares no tap '%s'; its taps: %s. A bert model exposes its last layer's"
                            + " attention probabilities as tap 'attention' with '%s.attention-tap = true'.",
                    role, model, settings.tap(), layout.names().isEmpty() ? "none" : String.join(", ", layout.names()),
                    role));
        }
        return index;
    }

    private void requireAttention(Shape perSample, String model) {
        if (perSample.dimension() != 3 || perSample.get(1) != perSample.get(2)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs attention probabilities (B, heads, L, L) in tap '%s', but model '%s' gives"
                            + " %s per sample.",
                    MiniLmFactory.NAME, settings.tap(), model, perSample));
        }
    }

    /** Both {@code (B, A, L, L)} over the same batch and tokens, and with {@code match} the same A. */
    private static void checkComparable(Shape student, Shape teacher, Heads heads) {
        boolean attention = student.dimension() == 4 && teacher.dimension() == 4
                && student.get(2) == student.get(3) && teacher.get(2) == teacher.get(3);
        if (!attention || student.get(0) != teacher.get(0) || student.get(2) != teacher.get(2)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' compares attention probabilities (B, heads, L, L) over the same tokens; the"
                            + " student gives %s, the teacher %s.",
                    MiniLmFactory.NAME, student, teacher));
        }
        if (heads == Heads.MATCH && student.get(1) != teacher.get(1)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' pairs attention heads one to one (heads = match), but the teacher has %d heads"
                            + " and the student %d. Give the student %d heads, or set method.heads = average to"
                            + " compare the head-averaged distributions.",
                    MiniLmFactory.NAME, teacher.get(1), student.get(1), teacher.get(1)));
        }
    }

    private static NDArray tap(NDList taps, int index, String role) {
        if (index >= taps.size()) {
            throw new IllegalStateException("method '" + MiniLmFactory.NAME + "' needs " + role + " tap " + index
                    + " but the batch has " + taps.size() + " " + role + " taps");
        }
        return taps.get(index);
    }
}
