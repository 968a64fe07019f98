package org.fadkd.engine.report;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.flow.DepthAlignment;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.engine.model.TappedModel;

/**
 * Measures mean flow profiles (fad-spec §1–§2) of models on a fixed set of batches: the first
 * batches of an unshuffled pass over a split, dropping a final partial batch, always in the same
 * order. Every model measured by one instance sees exactly the same samples, so the teacher's
 * profile and the student's before and after training are comparable, and measuring a model twice
 * gives the same profile.
 *
 * <p>Models run in inference mode ({@link TappedModel#infer}) unless told otherwise: no gradient
 * is recorded, batch norm uses its running statistics. Student selection (fad-spec §10) measures
 * untrained candidates in {@link Mode#TRAINING} instead, where batch norm uses each batch's
 * statistics, since the running statistics of an untrained model are only their initial values.
 * Call it outside a gradient collector.
 *
 * <p>Memory: each batch lives in its own sub-manager of the caller's manager, closed before the
 * next batch starts; profiles are copied to the Java heap. Nothing stays attached to any manager.
 *
 * <p>Thread-safety: immutable; safe to share when the metric and the split are.
 *
 * @since 0.1
 */
public final class FlowMeasurement {
    /** The number of batches a measurement averages over unless told otherwise. */
    public static final int DEFAULT_BATCHES = 10;

    /**
     * How a measured model runs its forward pass. Neither mode records a gradient.
     *
     * @since 0.1
     */
    public enum Mode {
        /** {@link TappedModel#infer}: batch norm uses its running statistics. */
        INFERENCE,
        /**
         * {@link TappedModel#forwardInTrainingMode}: batch norm uses each batch's statistics and
         * updates its running statistics, which the caller then discards.
         */
        TRAINING
    }

    private final FlowMetric metric;
    private final DataSplit split;
    private final int batchSize;
    private final List<int[]> batches;

    /**
     * Creates a measurement over the first {@code batchCount} full batches of {@code split} (fewer
     * when the split has fewer).
     *
     * @param metric the flow metric, the same for every model measured; never null
     * @param split the samples, usually the training split; never null
     * @param batchSize samples per batch, at least 1; batch-dependent metrics such as cka should
     *     use the training batch size
     * @param batchCount the most batches to average over, at least 1
     * @throws IllegalArgumentException when the split holds no full batch
     * @since 0.1
     */
    public FlowMeasurement(FlowMetric metric, DataSplit split, int batchSize, int batchCount) {
        this.metric = requireNonNull(metric, "metric is null");
        this.split = requireNonNull(split, "split is null");
        if (batchCount < 1) {
            throw new IllegalArgumentException("batch count must be at least 1, got " + batchCount);
        }
        this.batchSize = batchSize;
        List<int[]> plan = BatchPlan.plan(split.size(), batchSize, false, true, 0);
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("a flow measurement needs a full batch of " + batchSize
                    + " samples, but the split has " + split.size());
        }
        this.batches = List.copyOf(plan.subList(0, Math.min(batchCount, plan.size())));
    }

    /**
     * Creates the measurement a job reports: {@link #DEFAULT_BATCHES} batches of the training
     * batch size.
     *
     * @param metric the flow metric, never null
     * @param trainSplit the training split, never null
     * @param batchSize the training batch size, at least 1
     * @return the measurement, never null
     * @since 0.1
     */
    public static FlowMeasurement onTrainingBatches(FlowMetric metric, DataSplit trainSplit, int batchSize) {
        return new FlowMeasurement(metric, trainSplit, batchSize, DEFAULT_BATCHES);
    }

    /**
     * Returns the number of batches every profile is averaged over.
     *
     * @return at least 1
     * @since 0.1
     */
    public int batchCount() {
        return batches.size();
    }

    /**
     * Returns the samples per batch.
     *
     * @return at least 1
     * @since 0.1
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the model's flow profile averaged over the batches: {@code D̄_k = mean_b D_k(b)},
     * {@code k = 0..P−1} with {@code P = L − 1} for {@code L} taps.
     *
     * @param model the model, initialised, with at least two taps; never null
     * @param parent the manager whose sub-managers hold each batch; never null
     * @return a new array of {@code P} values on the Java heap
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the model's forward
     *     returns a different number of taps than it declares, or the metric rejects its taps
     * @throws IllegalArgumentException when the model declares fewer than two taps
     * @since 0.1
     */
    public double[] meanProfile(TappedModel model, NDManager parent) {
        return meanProfile(model, parent, Mode.INFERENCE);
    }

    /**
     * Returns the model's flow profile averaged over the batches, as {@link #meanProfile(TappedModel,
     * NDManager)} does, with the forward pass run in the given mode.
     *
     * @param model the model, initialised, with at least two taps; never null
     * @param parent the manager whose sub-managers hold each batch; never null
     * @param mode how the model runs; {@link Mode#TRAINING} changes its batch-norm statistics
     * @return a new array of {@code P} values on the Java heap
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the model's forward
     *     returns a different number of taps than it declares, or the metric rejects its taps
     * @throws IllegalArgumentException when the model declares fewer than two taps
     * @since 0.1
     */
    public double[] meanProfile(TappedModel model, NDManager parent, Mode mode) {
        requireNonNull(model, "model is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(mode, "mode is null");
        if (model.tapNames().size() < 2) {
            throw new IllegalArgumentException("model '" + model.name()
                    + "' cannot be profiled: it declares " + model.tapNames().size() + " taps "
                    + model.tapNames() + ", at least 2 are needed");
        }
        double[] sums = new double[model.tapNames().size() - 1];
        boolean first = true;
        for (int[] indices : batches) {
            try (NDManager batchManager = parent.newSubManager()) {
                LabeledBatch batch = split.getBatch(batchManager, indices);
                NDList outputs = mode == Mode.TRAINING
                        ? model.forwardInTrainingMode(batch.inputs())
                        : model.infer(batch.inputs());
                NDList taps = taps(model, outputs);
                if (first) {
                    FlowProfiles.checkTaps(metric, layout(model, taps), "the " + model.name());
                    first = false;
                }
                NDArray profile = FlowProfiles.profile(metric, taps, new ProfiledTaps(model.name(), model.tapNames()));
                float[] values = profile.toFloatArray();
                for (int k = 0; k < sums.length; k++) {
                    sums[k] += values[k];
                }
            }
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] /= batches.size();
        }
        return sums;
    }

    /**
     * Returns the normalised depth of profile point {@code k}: {@code s_k = k/(P−1)}, and {@code
     * 0} when {@code P = 1} (fad-spec §1).
     *
     * @param k the point, in {@code [0, P)}
     * @param length {@code P}, at least 1
     * @return {@code s_k ∈ [0, 1]}
     * @since 0.1
     */
    public static double depth(int k, int length) {
        if (length < 1 || k < 0 || k >= length) {
            throw new IllegalArgumentException("point " + k + " of a profile of length " + length);
        }
        return length == 1 ? 0.0 : (double) k / (length - 1);
    }

    /**
     * Returns a profile as {@code [[s_0, D_0], [s_1, D_1], …]} at normalised depth.
     *
     * @param profile the profile, at least one value; never null
     * @return a new {@code P × 2} array
     * @since 0.1
     */
    public static double[][] points(double[] profile) {
        requireNonNull(profile, "profile is null");
        double[][] points = new double[profile.length][];
        for (int k = 0; k < profile.length; k++) {
            points[k] = new double[] {depth(k, profile.length), profile[k]};
        }
        return points;
    }

    /**
     * Computes {@code D_align} of two profiles ({@link DepthAlignment#dAlign}) in float64.
     *
     * @param teacher the teacher's profile, at least one value; never null
     * @param student the student's profile, at least one value; never null
     * @param distribution the depth distribution, never null
     * @param parent the manager whose sub-manager holds the temporary arrays; never null
     * @return {@code D_align ≥ 0}, 0 for profiles with the same depth distribution
     * @since 0.1
     */
    public static double dAlign(
            double[] teacher, double[] student, DepthDistribution distribution, NDManager parent) {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        requireNonNull(distribution, "distribution is null");
        requireNonNull(parent, "parent is null");
        try (NDManager manager = parent.newSubManager()) {
            NDArray value = DepthAlignment.dAlign(
                    manager.create(teacher), manager.create(student), distribution);
            return value.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    private static NDList taps(TappedModel model, NDList outputs) {
        if (outputs.size() != model.tapNames().size() + 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Model '%s' declares %d taps %s but its forward returned %d tap outputs.",
                    model.name(), model.tapNames().size(), model.tapNames(), outputs.size() - 1));
        }
        return outputs.subNDList(1);
    }

    private static TapLayout layout(TappedModel model, NDList taps) {
        List<Shape> shapes = new ArrayList<>(taps.size());
        for (NDArray tap : taps) {
            shapes.add(tap.getShape().slice(1));
        }
        return new TapLayout(model.tapNames(), shapes);
    }
}
