package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LossValue;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.flow.Casts;
import org.fadkd.engine.flow.DepthAlignment;
import org.fadkd.engine.flow.DepthInterpolation;
import org.fadkd.engine.flow.FlowProfiles;
import org.fadkd.engine.flow.FlowWeights;
import org.fadkd.engine.flow.LossWeights;
import org.fadkd.engine.flow.Scalars;

/**
 * Flow-aligned distillation: {@code L = α·L_task + β·L_KD + γ·L_FAD} (fad-spec §2–§6).
 *
 * <p>Per batch: the teacher profile {@code D^T} from the teacher's taps (a constant: teacher arrays
 * carry no gradient and the profile is detached besides), the student profile {@code D^S} from
 * the student's taps (differentiable unless {@code student-flow-gradient = detached}), {@code
 * L_FAD} in float64 from both, {@code L_KD} from the kd-term's {@link
 * DistillationLoss#distillationTerm} unscaled, and α, β, γ adaptive (read off the profiles'
 * values, so without gradient) or fixed.
 *
 * <p>The weight profile {@code W^T} behind ω and {@code w} is the batch's {@code D^T} unless a mean
 * teacher profile was supplied with {@link #setMeanTeacherProfile} (the teacher-flow cache of §9).
 *
 * <p>Not thread-safe: one instance per job, used on the training thread.
 *
 * @since 0.1
 */
public final class FadLoss implements DistillationLoss {
    private final FadSettings settings;
    private final FlowMetric metric;
    private final DistillationLoss kdTerm;
    private final NDManager constants;

    private double[] meanTeacherProfile;
    private Grid grid;

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
     * D^T}. The target profile stays the batch's {@code D^T}.
     *
     * @param profile the mean profile at the teacher's {@code P_T} points, or null to go back to
     *     the batch profile; copied
     * @since 0.1
     */
    @Override
    public void setMeanTeacherProfile(double[] profile) {
        meanTeacherProfile = profile == null ? null : profile.clone();
    }

    @Override
    public Set<BatchField> getRequirements() {
        Set<BatchField> requirements = EnumSet.of(BatchField.TEACHER_TAPS, BatchField.STUDENT_TAPS);
        requirements.addAll(kdTerm.getRequirements());
        return requirements;
    }

    @Override
    public List<Block> getTrainableBlocks() {
        return kdTerm.getTrainableBlocks();
    }

    /**
     * Checks both networks' taps against the flow metric, prepares the kd-term, and precomputes
     * the interpolation matrices (float64, in the job manager).
     */
    @Override
    public void prepare(TapLayout teacher, TapLayout student) {
        FlowProfiles.checkTaps(metric, teacher, "the teacher");
        FlowProfiles.checkTaps(metric, student, "the student");
        kdTerm.prepare(teacher, student);
        if (grid != null) {
            grid.close();
        }
        grid = new Grid(constants, settings, teacher.size() - 1, student.size() - 1);
    }

    /** Returns {@code L_FAD} of the batch (scaled by {@code flow-scale}, not by γ). */
    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray teacherProfile = teacherProfile(batch);
        return flowLoss(teacherProfile, studentProfile(batch), weightProfile(teacherProfile));
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        NDArray teacherProfile = teacherProfile(batch);
        NDArray studentProfile = studentProfile(batch);
        NDArray flow = flowLoss(teacherProfile, studentProfile, weightProfile(teacherProfile));
        NDArray kd = kdTerm.distillationTerm(batch);
        LossWeights weights = settings.weighting() == FadSettings.Weighting.ADAPTIVE
                ? LossWeights.adaptive(teacherProfile, studentProfile)
                : settings.fixedWeights();

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
        return new LossValue(total, terms);
    }

    /**
     * Computes {@code L_FAD} from two profiles in float64 (fad-spec §5), integrated (trapezoid rule
     * on N points, each evaluated once) or weighted-sum, times {@code flow-scale}. Differentiable in
     * {@code studentProfile}; the weights are constants.
     *
     * @param teacherProfile {@code D^T} of length {@code P_T}, never null
     * @param studentProfile {@code D^S} of length {@code P_S}, never null
     * @param weightProfile {@code W^T} of length {@code P_T}, never null
     * @return a float64 scalar attached to the teacher profile's manager
     * @throws IllegalStateException when {@link #prepare} was not called for these lengths
     */
    NDArray flowLoss(NDArray teacherProfile, NDArray studentProfile, double[] weightProfile) {
        Grid prepared = requireGrid(teacherProfile, studentProfile, weightProfile);
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
            }
            alignment = DepthAlignment.scalarAlignment(
                    teacher.matMul(prepared.teacherPoints), student.matMul(prepared.studentPoints));
        } else {
            coefficients = FlowWeights.layerWeights(
                    weightProfile, prepared.gridSize, settings.layerWeightLambda());
            alignment = DepthAlignment.scalarAlignment(
                    teacher.matMul(prepared.teacherGrid), student.matMul(prepared.studentGrid));
        }
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] *= settings.flowScale();
        }
        return alignment.mul(teacher.getManager().create(coefficients)).sum();
    }

    private NDArray teacherProfile(DistillationBatch batch) {
        return FlowProfiles.profile(metric, batch.teacherTaps()).stopGradient();
    }

    private NDArray studentProfile(DistillationBatch batch) {
        NDArray profile = FlowProfiles.profile(metric, batch.studentTaps());
        return settings.studentFlowGradient() == FadSettings.StudentFlowGradient.DETACHED
                ? profile.stopGradient()
                : profile;
    }

    private double[] weightProfile(NDArray teacherProfile) {
        if (meanTeacherProfile != null) {
            return meanTeacherProfile;
        }
        if (teacherProfile.getDataType() == DataType.FLOAT64) {
            return teacherProfile.toDoubleArray();
        }
        // FlowProfiles gives float32 profiles.
        float[] values = teacherProfile.toFloatArray();
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

    /** The interpolation matrices and trapezoid weights for one pair of profile lengths. */
    private static final class Grid implements AutoCloseable {
        final int teacherLength;
        final int studentLength;
        final int gridSize;
        /** {@code R_Tᵀ}, {@code R_Sᵀ}: profile to the N points of the integrated form. */
        final NDArray teacherPoints;
        final NDArray studentPoints;
        /** Profile to the common grid of the weighted-sum form. */
        final NDArray teacherGrid;
        final NDArray studentGrid;
        final double[] trapezoid;

        Grid(NDManager manager, FadSettings settings, int teacherLength, int studentLength) {
            this.teacherLength = teacherLength;
            this.studentLength = studentLength;
            this.gridSize = DepthInterpolation.commonGridSize(teacherLength, studentLength);
            int points = settings.points();
            // Transposed, so that a batch-scoped profile is the first operand and the products
            // land in the batch manager rather than this long-lived one.
            teacherPoints = DepthInterpolation.transposedMatrix(manager, points, teacherLength, DataType.FLOAT64);
            studentPoints = DepthInterpolation.transposedMatrix(manager, points, studentLength, DataType.FLOAT64);
            teacherGrid = DepthInterpolation.transposedMatrix(manager, gridSize, teacherLength, DataType.FLOAT64);
            studentGrid = DepthInterpolation.transposedMatrix(manager, gridSize, studentLength, DataType.FLOAT64);
            double step = 1.0 / (points - 1);
            trapezoid = new double[points];
            for (int i = 0; i < points; i++) {
                trapezoid[i] = i == 0 || i == points - 1 ? step / 2 : step;
            }
        }

        @Override
        public void close() {
            teacherPoints.close();
            studentPoints.close();
            teacherGrid.close();
            studentGrid.close();
        }
    }
}
