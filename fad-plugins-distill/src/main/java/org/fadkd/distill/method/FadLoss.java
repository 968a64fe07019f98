package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowComparison;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.api.TrainingProgress;
import org.fadkd.distill.method.CurriculumSchedule.Position;
import org.fadkd.flow.Casts;
import org.fadkd.flow.DepthAlignment;
import org.fadkd.flow.DepthInterpolation;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.FlowWeights;
import org.fadkd.flow.LossWeights;
import org.fadkd.flow.Scalars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow-aligned distillation: {@code L = α·L_task + β·L_KD + γ·L_FAD} (fad-spec §2–§8).
 *
 * <p>Per batch: the teacher profile {@code D^T} from the teacher's taps (a constant: teacher arrays
 * carry no gradient and the profile is detached besides), the student profile {@code D^S} from
 * the student's taps (differentiable unless {@code student-flow-gradient = detached}), {@code
 * L_FAD} in float64 from both, {@code L_KD} from the kd-term's {@link
 * DistillationLoss#distillationTerm} unscaled, and α, β, γ adaptive (read off the profiles'
 * values, so without gradient) or fixed.
 *
 * <p>The weight profile {@code W^T} behind ω, {@code w} and the critical depths is the batch's
 * {@code D^T} unless a mean teacher profile was supplied with {@link #setMeanTeacherProfile} (the
 * teacher-flow cache of §9) and {@code weights-from = cached}.
 *
 * <p>{@code L_FAD} is masked by selective alignment (§7) and by the curriculum's depth window (§8),
 * their product; the curriculum also multiplies γ by its stage factor. Both keep state between
 * batches (the EMA statistics, the mask between refreshes, the stage), which {@link #getState()}
 * and {@link #restoreState(Map)} carry across a checkpoint (as {@link FadState#toMap()}). The state advances once per global step:
 * {@link #compute} and {@link #distillationTerm} on batches of one step update it once.
 *
 * <p>Not thread-safe: one instance per job, used on the training thread.
 *
 * @since 0.1
 */
public final class FadLoss implements DistillationLoss {
    private static final Logger LOG = LoggerFactory.getLogger(FadLoss.class);

    private final FirstStepWarnings warnings = new FirstStepWarnings(LOG);

    /** The key of the kd-term's state inside fad's. */
    static final String KD_TERM_STATE = "kd-term";

    private final FadSettings settings;
    private final FlowMetric metric;
    private final DistillationLoss kdTerm;
    private final NDManager constants;

    private double[] meanTeacherProfile;
    private Grid grid;
    private TapLayout teacherLayout;
    private TapLayout studentLayout;
    private Keys keys;

    // The resumable state (FadState).
    private int stage;
    private int epochInStage;
    private boolean fineTuning;
    private long globalStep = -1;
    private double[] teacherStatistics;
    private double[] studentStatistics;
    private boolean[] mask;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @param metric the flow metric for teacher and student, never null
     * @param kdTerm the method whose distillation term is {@code L_KD}, never null
     * @param constants the job manager that holds the interpolation matrices, never null
     * @since 0.1
     */
    public FadLoss(FadSettings settings, FlowMetric metric, DistillationLoss kdTerm, NDManager constants) {
        this.settings = requireNonNull(settings, "settings is null");
        this.metric = requireNonNull(metric, "metric is null");
        this.kdTerm = requireNonNull(kdTerm, "kdTerm is null");
        this.constants = requireNonNull(constants, "constants is null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public FadSettings getSettings() {
        return settings;
    }

    /**
     * Returns the flow metric shared by teacher and student.
     *
     * @return the metric, never null
     * @since 0.1
     */
    public FlowMetric getFlowMetric() {
        return metric;
    }

    /** The mean teacher profile fad wants is the one of its own flow metric. */
    @Override
    public FlowMetric getTeacherFlowMetric() {
        return metric;
    }

    /** The host's flow report and selection measure with fad's own metric and depth distribution. */
    @Override
    public FlowComparison getFlowComparison() {
        return new FlowComparison(settings.flowMetric(), settings.depthDistribution().name());
    }

    /**
     * Returns the kd-term method.
     *
     * @return the method, never null
     * @since 0.1
     */
    public DistillationLoss getKdTerm() {
        return kdTerm;
    }

    /**
     * Seam for the teacher-flow cache (fad-spec §9): uses a precomputed mean teacher profile
     * {@code D̄^T} as the weight profile {@code W^T} of every batch instead of the batch's {@code
     * D^T}, unless {@code weights-from = batch}. The target profile stays the batch's {@code D^T}.
     *
     * @param profile the mean profile at the teacher's {@code P_T} points, or null to go back to
     *     the batch profile; copied
     * @throws IllegalArgumentException naming the point when a value is negative, NaN or infinite:
     *     it would make ω, {@code w} and {@code L_FAD} NaN at every step
     * @since 0.1
     */
    @Override
    public void setMeanTeacherProfile(double[] profile) {
        if (profile != null) {
            for (int k = 0; k < profile.length; k++) {
                if (!(profile[k] >= 0 && profile[k] < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "the mean teacher profile's point %d = %s is %s; a flow profile is finite and >= 0",
                            k, pointName(teacherLayout, k), profile[k]));
                }
            }
        }
        meanTeacherProfile = profile == null ? null : profile.clone();
    }

    /**
     * Returns the state to save in a checkpoint: the curriculum's position and the global step of
     * the last batch, the selective statistics and the current selective mask.
     *
     * @return a snapshot, never null; {@link FadState#INITIAL} before the first batch
     * @since 0.1
     */
    public FadState getFadState() {
        return new FadState(stage, epochInStage, fineTuning, globalStep,
                boxed(teacherStatistics), boxed(studentStatistics), boxed(mask));
    }

    /**
     * Continues from a saved state: the next batch updates the restored statistics and keeps the
     * restored mask until the next refresh, as the saving loss would have. The curriculum's stage
     * follows from each batch's epoch, so it continues where the run resumes. Call it before the
     * first batch of the resumed run, before or after {@link #prepare}, with the state of a run of
     * the same teacher, student and settings.
     *
     * @param state the state from {@link #getFadState()}, never null
     * @since 0.1
     */
    public void restoreState(FadState state) {
        requireNonNull(state, "state is null");
        stage = state.stage();
        epochInStage = state.epochInStage();
        fineTuning = state.fineTuning();
        globalStep = state.globalStep();
        teacherStatistics = unboxedDoubles(state.teacherStatistics());
        studentStatistics = unboxedDoubles(state.studentStatistics());
        mask = unboxedBooleans(state.mask());
    }

    /**
     * Returns {@link #getFadState()} as {@link FadState#toMap()}, for the host's checkpoint, with
     * the kd-term's own state (crd's normalising constants, say) under {@value #KD_TERM_STATE} when
     * it has one.
     *
     * @since 0.1
     */
    @Override
    public Map<String, Object> getState() {
        Map<String, Object> state = new LinkedHashMap<>(getFadState().toMap());
        Map<String, Object> kdTermState = kdTerm.getState();
        if (!kdTermState.isEmpty()) {
            state.put(KD_TERM_STATE, kdTermState);
        }
        return state;
    }

    /**
     * Restores a state written by {@link #getState()}, through {@link FadState#fromMap}, and the
     * kd-term's part through its own {@code restoreState}.
     *
     * @throws IllegalArgumentException naming the key when the map is not a fad state
     * @since 0.1
     */
    @Override
    public void restoreState(Map<String, Object> state) {
        Map<String, Object> own = new LinkedHashMap<>(requireNonNull(state, "state is null"));
        Object kdTermState = own.remove(KD_TERM_STATE);
        restoreState(FadState.fromMap(own));
        if (kdTermState instanceof Map<?, ?> map) {
            Map<String, Object> typed = new LinkedHashMap<>();
            map.forEach((key, value) -> typed.put(String.valueOf(key), value));
            kdTerm.restoreState(typed);
        } else if (kdTermState != null) {
            throw new IllegalArgumentException("'" + KD_TERM_STATE + "' must be a map, got " + kdTermState);
        }
    }

    @Override
    public Set<BatchField> getRequirements() {
        Set<BatchField> requirements = EnumSet.of(BatchField.TEACHER_TAPS, BatchField.STUDENT_TAPS);
        requirements.addAll(kdTerm.getRequirements());
        return requirements;
    }

    /**
     * True once a mean teacher profile was supplied and the kd-term needs no teacher taps: a batch
     * without teacher taps then uses {@code D̄^T} as its target profile (exact for metrics that do
     * not depend on the batch, an approximation for batch-dependent ones such as cka).
     */
    @Override
    public boolean canUseMeanProfileAsTarget() {
        return meanTeacherProfile != null && !kdTerm.getRequirements().contains(BatchField.TEACHER_TAPS);
    }

    @Override
    public List<Block> getTrainableBlocks() {
        return kdTerm.getTrainableBlocks();
    }

    /**
     * Checks both networks' taps against the flow metric, prepares the kd-term, precomputes the
     * interpolation matrices (float64, in the job manager) and keeps the tap names for {@code
     * mask-keys = name}. Warns once when a curriculum window holds no depth.
     */
    @Override
    public void prepare(MethodSetup setup) {
        warnings.clear();
        TapLayout teacher = setup.teacher();
        TapLayout student = setup.student();
        FlowProfiles.checkTaps(metric, teacher, "the teacher");
        FlowProfiles.checkTaps(metric, student, "the student");
        kdTerm.prepare(setup);
        if (grid != null) {
            grid.close();
        }
        teacherLayout = teacher;
        studentLayout = student;
        grid = new Grid(constants, settings, teacher.size() - 1, student.size() - 1);
        keys = settings.maskKeys() == FadSettings.MaskKeys.NAME
                ? Keys.byName(teacher, student, grid)
                : Keys.byDepth(grid.axisSize);
        warnAboutEmptyWindows();
    }

    /**
     * Returns the tap layouts passed to {@link #prepare}.
     *
     * @return teacher and student layouts, or an empty list before {@code prepare}
     * @since 0.1
     */
    public List<TapLayout> getTapLayouts() {
        return teacherLayout == null ? List.of() : List.of(teacherLayout, studentLayout);
    }

    /**
     * Returns {@code L_FAD} of the batch (masked, scaled by {@code flow-scale}, not by γ or the
     * stage factor).
     *
     * @throws FadException with {@link ErrorCode#TRAINING_DIVERGED}, naming the step, the profile
     *     points and the taps, when a flow profile is not finite
     */
    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray teacherProfile = teacherProfile(batch);
        NDArray studentProfile = studentProfile(batch);
        checkedValues(batch, teacherProfile, studentProfile);
        return flowStep(batch.progress(), teacherProfile, studentProfile).loss();
    }

    /**
     * {@inheritDoc}
     *
     * @throws FadException with {@link ErrorCode#TRAINING_DIVERGED}, naming the step, the profile
     *     points and the taps, when a flow profile is not finite
     */
    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray teacherProfile = teacherProfile(batch);
        NDArray studentProfile = studentProfile(batch);
        double[][] values = checkedValues(batch, teacherProfile, studentProfile);
        FlowStep step = flowStep(batch.progress(), teacherProfile, studentProfile);
        NDArray flow = step.loss();
        NDArray kd = kdTerm.distillationTerm(batch);
        // Finite profiles give finite adaptive weights: Σ = d_T + d_S + ε > 0 for D ≥ 0.
        LossWeights base = settings.weighting() == FadSettings.Weighting.ADAPTIVE
                ? LossWeights.adaptive(mean(values[0]), mean(values[1]))
                : settings.fixedWeights();
        LossWeights weights = new LossWeights(
                base.alpha(), base.beta(), base.gamma() * step.position().factor());

        NDArray task = batch.taskLoss();
        DataType type = task.getDataType();
        NDArray total = Scalars.mul(task, weights.alpha())
                .add(Scalars.mul(ofType(kd, type), weights.beta()))
                .add(Scalars.mul(ofType(flow, type), weights.gamma()));

        NDManager manager = batch.manager();
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", task);
        terms.put("L_kd", kd);
        terms.put("L_fad", flow);
        terms.put("alpha", manager.create(weights.alpha()));
        terms.put("beta", manager.create(weights.beta()));
        terms.put("gamma", manager.create(weights.gamma()));
        terms.put("d_align", DepthAlignment.dAlign(
                ofType(teacherProfile, DataType.FLOAT64),
                ofType(studentProfile.stopGradient(), DataType.FLOAT64),
                settings.depthDistribution()));
        terms.put("selected_depths", manager.create((double) step.selected()));
        terms.put("stage", manager.create((double) step.position().stage()));
        return new LossValue(total, terms);
    }

    /**
     * Host copies of the batch's teacher and student profiles, checked before any loss is built
     * from them.
     *
     * <p>Why here: a non-finite profile point means the metric met non-finite (or overflowing) tap
     * values, and everything built from it is NaN: {@code L_FAD}, the adaptive weights, the
     * gradients. Named here, a diverged run says at which step, in which term and between which
     * taps; the loop's check of the total could only name the term. With finite profiles {@code
     * L_FAD} is finite: {@code a(t, s)} and its slope are finite for all {@code t, s ≥ 0} (the slope
     * is at most {@code (t + ε)/(2ε)} in size, at {@code s = 0}; fad-spec §3).
     *
     * @return {teacher values, student values}
     * @throws FadException with TRAINING_DIVERGED when a point is NaN or infinite
     * @throws IllegalStateException when the flow metric broke its contract {@code D ≥ 0}
     */
    private double[][] checkedValues(DistillationBatch batch, NDArray teacherProfile, NDArray studentProfile) {
        double[] teacher = values(teacherProfile);
        double[] student = values(studentProfile);
        List<String> problems = new ArrayList<>();
        List<String> taps = new ArrayList<>();
        String studentPoints = nonFinitePoints(student, studentLayout);
        if (!studentPoints.isEmpty()) {
            problems.add("student profile " + studentPoints);
            taps.add(describe(ProfiledTaps.of("student", studentLayout), batch.studentTaps()));
        }
        String teacherPoints = nonFinitePoints(teacher, teacherLayout);
        if (!teacherPoints.isEmpty()) {
            problems.add((batch.teacherTaps().isEmpty() ? "mean teacher profile " : "teacher profile ")
                    + teacherPoints);
            if (!batch.teacherTaps().isEmpty()) {
                taps.add(describe(ProfiledTaps.of("teacher", teacherLayout), batch.teacherTaps()));
            }
        }
        if (!problems.isEmpty()) {
            TrainingProgress progress = batch.progress();
            throw new FadException(ErrorCode.TRAINING_DIVERGED, String.format(Locale.ROOT,
                    "Training diverged in epoch %d at step %d: the flow term L_fad of method 'fad' is undefined"
                            + " because %s (flow metric '%s').%s Lower trainer.learning-rate or the method's"
                            + " weights; the checkpoint of the last finished epoch, if any, is kept for --resume.",
                    progress.epoch(), progress.globalStep(), String.join(", and ", problems), metricName(),
                    taps.isEmpty() ? "" : " Taps in this batch: " + String.join("; ", taps) + "."));
        }
        checkNotNegative(student, studentLayout, "student");
        checkNotNegative(teacher, teacherLayout, "teacher");
        return new double[][] {teacher, student};
    }

    /** {@code point 1 = D(tap 'a', tap 'b') is NaN, point 2 = … is Infinity}, or empty. */
    private static String nonFinitePoints(double[] profile, TapLayout layout) {
        List<String> points = new ArrayList<>();
        for (int k = 0; k < profile.length; k++) {
            if (!Double.isFinite(profile[k])) {
                points.add("point " + k + " = " + pointName(layout, k) + " is " + profile[k]);
            }
        }
        return String.join(", ", points);
    }

    private void checkNotNegative(double[] profile, TapLayout layout, String network) {
        for (int k = 0; k < profile.length; k++) {
            // ln(s + ε) of a(t, s) needs s > −ε; fad-spec §2 promises D ≥ 0.
            if (profile[k] < 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "flow metric '%s' (%s) gave D = %s < 0 for %s profile point %d = %s; a flow metric must"
                                + " return D >= 0", metricName(), metric.getClass().getName(), profile[k], network,
                        k, pointName(layout, k)));
            }
        }
    }

    private static String pointName(TapLayout layout, int k) {
        return "D(" + tapName(layout, k) + ", " + tapName(layout, k + 1) + ")";
    }

    private static String tapName(TapLayout layout, int k) {
        return layout != null && k < layout.size() ? "tap '" + layout.names().get(k) + "'" : "tap " + k;
    }

    private String metricName() {
        return settings.flowMetric().hasPath("type") ? settings.flowMetric().getString("type")
                : metric.getClass().getSimpleName();
    }

    /** Each tap with its largest magnitude, or whether it holds NaN or infinity. */
    private static String describe(ProfiledTaps source, NDList taps) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < taps.size(); k++) {
            NDArray tap = taps.get(k);
            boolean nan = tap.isNaN().any().getBoolean();
            boolean infinite = tap.isInfinite().any().getBoolean();
            parts.add(source.describe(k) + (nan ? " has NaN" : infinite ? " has infinity"
                    : String.format(Locale.ROOT, " max |x| = %.3g",
                            tap.abs().max().toType(DataType.FLOAT64, false).getDouble())));
        }
        return parts.isEmpty() ? "(none)" : String.join(", ", parts);
    }

    /** The mean as {@link LossWeights#adaptive(NDArray, NDArray)} takes it. */
    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /**
     * One batch's flow term from its profiles: advances the curriculum and the selective state to
     * the batch's step (once per global step), then computes the masked {@code L_FAD}.
     *
     * @param progress the batch's progress, never null
     * @param teacherProfile {@code D^T}, without gradient, never null
     * @param studentProfile {@code D^S}, never null
     * @return the loss (attached to the teacher profile's manager), the curriculum's position and
     *     the number of selected depths
     * @throws org.fadkd.api.FadException with CONFIG_INVALID when the run has too few epochs for
     *     the curriculum
     */
    FlowStep flowStep(TrainingProgress progress, NDArray teacherProfile, NDArray studentProfile) {
        requireNonNull(progress, "progress is null");
        warnings.flush();
        double[] weightProfile = weightProfile(teacherProfile);
        requireGrid(teacherProfile, studentProfile, weightProfile);
        Position position = CurriculumSchedule.position(settings.curriculum(), progress);
        if (progress.globalStep() != globalStep) {
            if (settings.selective().enabled()) {
                updateSelective(progress.globalStep(), teacherProfile, studentProfile, weightProfile);
            }
            globalStep = progress.globalStep();
            stage = position.stage();
            epochInStage = position.epochInStage();
            fineTuning = position.fineTuning();
        }
        double[] axisMask = axisMask();
        int selected = grid.axisSize;
        if (axisMask != null) {
            selected = 0;
            for (double value : axisMask) {
                selected += value > 0 ? 1 : 0;
            }
        }
        NDArray loss = flowLoss(teacherProfile, studentProfile, weightProfile, axisMask, position.stage());
        return new FlowStep(loss, position, selected);
    }

    /** What {@link #flowStep} gives. */
    record FlowStep(NDArray loss, Position position, int selected) {}

    /**
     * Computes the unmasked {@code L_FAD} from two profiles; see {@link #flowLoss(NDArray, NDArray,
     * double[], double[], int)}.
     */
    NDArray flowLoss(NDArray teacherProfile, NDArray studentProfile, double[] weightProfile) {
        return flowLoss(teacherProfile, studentProfile, weightProfile, null, 0);
    }

    /**
     * Computes {@code L_FAD} from two profiles in float64 (fad-spec §5), integrated (trapezoid rule
     * on N points, each evaluated once) or weighted-sum, times {@code flow-scale}, masked by a mask
     * on the alignment axis (the common grid, or the teacher's points with {@code pairing = index})
     * and by a curriculum stage's window. Differentiable in {@code studentProfile}; weights and
     * masks are constants, and the weights are not renormalised after masking.
     *
     * @param teacherProfile {@code D^T} of length {@code P_T}, never null
     * @param studentProfile {@code D^S} of length {@code P_S}, never null
     * @param weightProfile {@code W^T} of length {@code P_T}, never null
     * @param axisMask 0/1 per axis point, or null for all 1; in the integrated form {@code m(s) =
     *     m_{j*}}, {@code j* = ⌊s(M−1) + ½⌋}
     * @param curriculumStage a stage {@code 1..K} whose window masks the depths, or any other value
     *     for no window
     * @return a float64 scalar attached to the teacher profile's manager
     * @throws IllegalStateException when {@link #prepare} was not called for these lengths
     */
    NDArray flowLoss(
            NDArray teacherProfile,
            NDArray studentProfile,
            double[] weightProfile,
            double[] axisMask,
            int curriculumStage) {
        Grid prepared = requireGrid(teacherProfile, studentProfile, weightProfile);
        if (axisMask != null && axisMask.length != prepared.axisSize) {
            throw new IllegalArgumentException(
                    "the mask has " + axisMask.length + " points, the axis " + prepared.axisSize);
        }
        NDArray teacher = ofType(teacherProfile, DataType.FLOAT64);
        NDArray student = ofType(studentProfile, DataType.FLOAT64);
        double[] coefficients;
        NDArray alignment;
        if (settings.form() == FadSettings.Form.INTEGRATED) {
            double[] omega = FlowWeights.depthWeights(
                    weightProfile, settings.omegaAlpha(), settings.omegaNormalisation());
            // ω is defined on the teacher's index axis, so ω(s_i) uses the teacher's matrix.
            double[] omegaAtPoints = DepthInterpolation.resample(omega, settings.points());
            coefficients = new double[settings.points()];
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = prepared.trapezoid[i] * omegaAtPoints[i];
                if (axisMask != null) {
                    coefficients[i] *= axisMask[prepared.nearestAxisPoint[i]];
                }
            }
            alignment = DepthAlignment.scalarAlignment(
                    teacher.matMul(prepared.teacherPoints), student.matMul(prepared.studentPoints));
        } else {
            coefficients = FlowWeights.layerWeights(
                    weightProfile, prepared.axisSize, settings.layerWeightLambda());
            if (axisMask != null) {
                for (int j = 0; j < coefficients.length; j++) {
                    coefficients[j] *= axisMask[j];
                }
            }
            alignment = DepthAlignment.scalarAlignment(
                    teacher.matMul(prepared.teacherAxis), student.matMul(prepared.studentAxis));
        }
        boolean[] window = CurriculumSchedule.window(curriculumStage, settings.curriculum().stages(),
                coefficients.length, settings.curriculumWindows());
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] *= window[i] ? settings.flowScale() : 0;
        }
        return alignment.mul(teacher.getManager().create(coefficients)).sum();
    }

    private void updateSelective(long step, NDArray teacherProfile, NDArray studentProfile, double[] weightProfile) {
        FadSettings.Selective selective = settings.selective();
        double[] teacher = keys.teacherValues(grid, values(teacherProfile));
        double[] student = keys.studentValues(grid, values(studentProfile));
        double[] teacherUsed = teacher;
        double[] studentUsed = student;
        if (selective.statistics() == FadSettings.Statistics.EMA) {
            if (teacherStatistics == null) {
                teacherStatistics = teacher.clone();
                studentStatistics = student.clone();
            } else {
                checkKeyCount("statistics", teacherStatistics.length);
                double decay = selective.emaDecay();
                for (int j = 0; j < teacher.length; j++) {
                    teacherStatistics[j] = decay * teacherStatistics[j] + (1 - decay) * teacher[j];
                    studentStatistics[j] = decay * studentStatistics[j] + (1 - decay) * student[j];
                }
            }
            teacherUsed = teacherStatistics;
            studentUsed = studentStatistics;
        }
        if (mask == null || step % selective.period() == 0) {
            mask = SelectiveAlignment.mask(teacherUsed, studentUsed, keys.teacherValues(grid, weightProfile),
                    selective.tau(), selective.useCritical(), settings.criticalSigma());
        }
    }

    /** The selective mask on the alignment axis, or null when selective alignment is off. */
    private double[] axisMask() {
        if (!settings.selective().enabled() || mask == null) {
            return null;
        }
        checkKeyCount("mask", mask.length);
        double[] result = new double[grid.axisSize];
        for (int j = 0; j < result.length; j++) {
            int key = keys.axisKeys[j];
            result[j] = key >= 0 && mask[key] ? 1 : 0;
        }
        return result;
    }

    private void checkKeyCount(String what, int length) {
        if (length != keys.count()) {
            throw new IllegalStateException("the selective " + what + " has " + length
                    + " keys but this teacher and student give " + keys.count()
                    + "; restoreState() got the state of another teacher, student or mask-keys setting");
        }
    }

    private void warnAboutEmptyWindows() {
        FadSettings.Curriculum curriculum = settings.curriculum();
        if (!curriculum.enabled()) {
            return;
        }
        int points = settings.form() == FadSettings.Form.INTEGRATED ? settings.points() : grid.axisSize;
        List<Integer> empty = new ArrayList<>();
        for (int k = 1; k <= curriculum.stages(); k++) {
            boolean[] window = CurriculumSchedule.window(k, curriculum.stages(), points, settings.curriculumWindows());
            boolean any = false;
            for (boolean inside : window) {
                any |= inside;
            }
            if (!any) {
                empty.add(k);
            }
        }
        if (!empty.isEmpty()) {
            warnings.add(String.format("Method 'fad': the depth windows of curriculum stages %s (of"
                            + " curriculum.stages = %d) hold none of the %d depths of the %s form, so those stages"
                            + " train no flow loss. Use fewer stages, or form = integrated.",
                    empty, curriculum.stages(), points,
                    settings.form() == FadSettings.Form.INTEGRATED ? "integrated" : "weighted-sum"));
        }
    }

    private NDArray teacherProfile(DistillationBatch batch) {
        if (batch.teacherTaps().isEmpty() && meanTeacherProfile != null) {
            // The teacher forward was skipped (teacher-logit cache, fad-spec §9): D̄^T is the target,
            // float32 like a batch profile, in the batch's manager.
            float[] target = new float[meanTeacherProfile.length];
            for (int k = 0; k < target.length; k++) {
                target[k] = (float) meanTeacherProfile[k];
            }
            return batch.manager().create(target);
        }
        return FlowProfiles.profile(metric, batch.teacherTaps(), ProfiledTaps.of("teacher", teacherLayout))
                .stopGradient();
    }

    private NDArray studentProfile(DistillationBatch batch) {
        NDArray profile = FlowProfiles.profile(metric, batch.studentTaps(), ProfiledTaps.of("student", studentLayout));
        return settings.studentFlowGradient() == FadSettings.StudentFlowGradient.DETACHED
                ? profile.stopGradient()
                : profile;
    }

    private double[] weightProfile(NDArray teacherProfile) {
        if (meanTeacherProfile != null && settings.weightsFrom() == FadSettings.WeightsFrom.CACHED) {
            return meanTeacherProfile;
        }
        return values(teacherProfile);
    }

    /** The values of a small array on the Java heap; never records gradient. */
    private static double[] values(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        // FlowProfiles gives float32 profiles.
        float[] values = array.toFloatArray();
        double[] result = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            result[k] = values[k];
        }
        return result;
    }

    private Grid requireGrid(NDArray teacherProfile, NDArray studentProfile, double[] weightProfile) {
        long teacherLength = teacherProfile.getShape().get(0);
        long studentLength = studentProfile.getShape().get(0);
        if (grid == null || grid.teacherLength != teacherLength || grid.studentLength != studentLength) {
            throw new IllegalStateException(
                    "method 'fad' was prepared for profiles of "
                            + (grid == null ? "no length" : grid.teacherLength + " and " + grid.studentLength)
                            + " points but got " + teacherLength + " and " + studentLength
                            + "; call prepare() with the taps of this teacher and student");
        }
        if (weightProfile.length != teacherLength) {
            throw new IllegalStateException(
                    "the weight profile has " + weightProfile.length + " points, the teacher profile "
                            + teacherLength);
        }
        return grid;
    }

    /** A cast that keeps the graph: DJL's {@code toType} would cut L_FAD off the student. */
    private static NDArray ofType(NDArray array, DataType type) {
        return Casts.to(array, type);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> result = new ArrayList<>();
        if (values != null) {
            for (double value : values) {
                result.add(value);
            }
        }
        return result;
    }

    private static List<Boolean> boxed(boolean[] values) {
        List<Boolean> result = new ArrayList<>();
        if (values != null) {
            for (boolean value : values) {
                result.add(value);
            }
        }
        return result;
    }

    private static double[] unboxedDoubles(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean[] unboxedBooleans(List<Boolean> values) {
        if (values.isEmpty()) {
            return null;
        }
        boolean[] result = new boolean[values.size()];
        for (int j = 0; j < result.length; j++) {
            result[j] = values.get(j);
        }
        return result;
    }

    /**
     * What the selective statistics and mask are indexed by: the axis points ({@code mask-keys =
     * depth}) or the profile-point names both networks share, in the teacher's order ({@code name};
     * a profile point takes the name of its later tap).
     *
     * @param teacherPoints per key, the teacher's profile point; null for depth keys
     * @param studentPoints per key, the student's profile point; null for depth keys
     * @param axisKeys per axis point, its key or -1: with name keys an axis point has the name of the
     *     teacher point at its depth, and none between teacher points
     */
    private record Keys(int[] teacherPoints, int[] studentPoints, int[] axisKeys) {
        static Keys byDepth(int axisSize) {
            int[] axisKeys = new int[axisSize];
            Arrays.setAll(axisKeys, j -> j);
            return new Keys(null, null, axisKeys);
        }

        static Keys byName(TapLayout teacher, TapLayout student, Grid grid) {
            Map<String, Integer> studentPoint = new HashMap<>();
            for (int k = 0; k < grid.studentLength; k++) {
                studentPoint.putIfAbsent(student.names().get(k + 1), k);
            }
            List<Integer> teacherPoints = new ArrayList<>();
            List<Integer> studentPoints = new ArrayList<>();
            Map<Integer, Integer> keyOfTeacherPoint = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (int k = 0; k < grid.teacherLength; k++) {
                String name = teacher.names().get(k + 1);
                if (studentPoint.containsKey(name) && seen.add(name)) {
                    keyOfTeacherPoint.put(k, teacherPoints.size());
                    teacherPoints.add(k);
                    studentPoints.add(studentPoint.get(name));
                }
            }
            int axisSize = grid.axisSize;
            int[] axisKeys = new int[axisSize];
            for (int j = 0; j < axisSize; j++) {
                int point = -1;
                if (j == 0) {
                    point = 0;
                } else if (grid.teacherLength > 1 && (long) j * (grid.teacherLength - 1) % (axisSize - 1) == 0) {
                    point = (int) ((long) j * (grid.teacherLength - 1) / (axisSize - 1));
                }
                axisKeys[j] = point < 0 ? -1 : keyOfTeacherPoint.getOrDefault(point, -1);
            }
            return new Keys(
                    teacherPoints.stream().mapToInt(Integer::intValue).toArray(),
                    studentPoints.stream().mapToInt(Integer::intValue).toArray(),
                    axisKeys);
        }

        int count() {
            return teacherPoints == null ? axisKeys.length : teacherPoints.length;
        }

        /** Teacher-side values (the target or the weight profile) per key. */
        double[] teacherValues(Grid grid, double[] profile) {
            return teacherPoints == null ? apply(grid.teacherAxisRows, profile) : pick(profile, teacherPoints);
        }

        double[] studentValues(Grid grid, double[] profile) {
            return studentPoints == null ? apply(grid.studentAxisRows, profile) : pick(profile, studentPoints);
        }

        private static double[] pick(double[] profile, int[] points) {
            double[] result = new double[points.length];
            for (int j = 0; j < points.length; j++) {
                result[j] = profile[points[j]];
            }
            return result;
        }

        private static double[] apply(double[][] rows, double[] profile) {
            double[] result = new double[rows.length];
            for (int j = 0; j < rows.length; j++) {
                double sum = 0;
                for (int k = 0; k < profile.length; k++) {
                    sum += rows[j][k] * profile[k];
                }
                result[j] = sum;
            }
            return result;
        }
    }

    /** The interpolation matrices and trapezoid weights for one pair of profile lengths. */
    private static final class Grid implements AutoCloseable {
        final int teacherLength;
        final int studentLength;
        /** The common grid size {@code M}. */
        final int gridSize;
        /** The points the weighted-sum form and the masks live on: {@code M}, or {@code P_T} with index pairing. */
        final int axisSize;
        /** {@code R_Tᵀ}, {@code R_Sᵀ}: profile to the N points of the integrated form. */
        final NDArray teacherPoints;
        final NDArray studentPoints;
        /** Profile to the axis, transposed; the same maps as the rows below. */
        final NDArray teacherAxis;
        final NDArray studentAxis;
        final double[][] teacherAxisRows;
        final double[][] studentAxisRows;
        final double[] trapezoid;
        /** Per integrated point {@code s_i}, the axis point {@code j* = ⌊s_i(M−1) + ½⌋}. */
        final int[] nearestAxisPoint;

        Grid(NDManager manager, FadSettings settings, int teacherLength, int studentLength) {
            this.teacherLength = teacherLength;
            this.studentLength = studentLength;
            this.gridSize = DepthInterpolation.commonGridSize(teacherLength, studentLength);
            int points = settings.points();
            // Transposed, so that a batch-scoped profile is the first operand and the products
            // land in the batch manager rather than this long-lived one.
            teacherPoints = DepthInterpolation.transposedMatrix(manager, points, teacherLength, DataType.FLOAT64);
            studentPoints = DepthInterpolation.transposedMatrix(manager, points, studentLength, DataType.FLOAT64);
            if (settings.pairing() == FadSettings.Pairing.INDEX) {
                axisSize = teacherLength;
                teacherAxisRows = DepthInterpolation.weights(teacherLength, teacherLength);
                studentAxisRows = new double[teacherLength][studentLength];
                for (int i = 0; i < teacherLength; i++) {
                    studentAxisRows[i][Math.min(i, studentLength - 1)] = 1;
                }
            } else {
                axisSize = gridSize;
                teacherAxisRows = DepthInterpolation.weights(gridSize, teacherLength);
                studentAxisRows = DepthInterpolation.weights(gridSize, studentLength);
            }
            teacherAxis = transposed(manager, teacherAxisRows);
            studentAxis = transposed(manager, studentAxisRows);
            double step = 1.0 / (points - 1);
            trapezoid = new double[points];
            nearestAxisPoint = new int[points];
            for (int i = 0; i < points; i++) {
                trapezoid[i] = i == 0 || i == points - 1 ? step / 2 : step;
                // ⌊i(M−1)/(N−1) + ½⌋ in integers, so exact halves round up as the formula says.
                nearestAxisPoint[i] = (int) ((2L * i * (axisSize - 1) + (points - 1)) / (2L * (points - 1)));
            }
        }

        private static NDArray transposed(NDManager manager, double[][] rows) {
            int height = rows.length;
            int width = rows[0].length;
            double[] flat = new double[height * width];
            for (int i = 0; i < height; i++) {
                for (int k = 0; k < width; k++) {
                    flat[k * height + i] = rows[i][k];
                }
            }
            return manager.create(flat, new Shape(width, height));
        }

        @Override
        public void close() {
            teacherPoints.close();
            studentPoints.close();
            teacherAxis.close();
            studentAxis.close();
        }
    }
}
