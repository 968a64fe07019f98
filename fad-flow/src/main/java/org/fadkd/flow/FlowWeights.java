package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;

/**
 * The teacher's layer weights {@code w} on the common grid and depth weights {@code ω} at its own
 * profile points (fad-spec §4), both derived from the weight profile {@code W^T}.
 *
 * <p>Weights are constants of the flow loss: they are computed on the Java heap from the profile's
 * values and never carry gradient. The NDArray variants return new float64 arrays attached to the
 * weight profile's manager.
 *
 * @since 0.1
 */
public final class FlowWeights {
    /** The default slope factor λ of the layer weights. */
    public static final double DEFAULT_LAMBDA = 0.1;
    /** The default floor α of the depth weights. */
    public static final double DEFAULT_OMEGA_ALPHA = 0.5;

    private static final double EPSILON = DepthAlignment.EPSILON;

    /**
     * How the depth weights are normalised over the teacher's points.
     *
     * @since 0.1
     */
    public enum OmegaNormalisation {
        /** Unit mean, so {@code ∫₀¹ ω(s) ds ≈ 1} whatever the teacher's depth (default). */
        MEAN,
        /** Unit sum, as the reference implementation: the flow loss scales like {@code 1/P_T}. */
        SUM
    }

    private FlowWeights() {}

    /**
     * Computes the layer weights {@code w} on a grid of {@code gridSize} points: each point's share
     * of the total flow plus λ times the local forward slope, shifted to be non-negative and
     * normalised to sum 1.
     *
     * @param weightProfile {@code W^T} at the teacher's points, never null, not empty
     * @param gridSize the common grid size {@code M}, at least 1
     * @param lambda the slope factor λ, finite
     * @return a new array of {@code M} non-negative weights summing to 1
     * @since 0.1
     */
    public static double[] layerWeights(double[] weightProfile, int gridSize, double lambda) {
        requireNonNull(weightProfile, "weightProfile is null");
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite, got " + lambda);
        }
        double[] resampled = DepthInterpolation.resample(weightProfile, gridSize);
        if (gridSize == 1) {
            return new double[] {1};
        }
        double total = 0;
        for (double value : resampled) {
            total += value;
        }
        double[] weights = new double[gridSize];
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < gridSize; j++) {
            double slope = j < gridSize - 1
                    ? resampled[j + 1] - resampled[j]
                    : resampled[gridSize - 1] - resampled[gridSize - 2];
            weights[j] = resampled[j] / (total + EPSILON) + lambda * slope;
            min = Math.min(min, weights[j]);
        }
        if (min < 0) {
            for (int j = 0; j < gridSize; j++) {
                weights[j] += -min + EPSILON;
            }
        }
        double sum = 0;
        for (double weight : weights) {
            sum += weight;
        }
        for (int j = 0; j < gridSize; j++) {
            weights[j] = sum <= EPSILON ? 1.0 / gridSize : weights[j] / sum;
        }
        return weights;
    }

    /**
     * NDArray form of {@link #layerWeights(double[], int, double)}.
     *
     * @param weightProfile {@code W^T}, 1-D, never null; only its values are read
     * @param gridSize the common grid size {@code M}, at least 1
     * @param lambda the slope factor λ
     * @return a new float64 array of length {@code M} without gradient, attached to the weight
     *     profile's manager
     * @since 0.1
     */
    public static NDArray layerWeights(NDArray weightProfile, int gridSize, double lambda) {
        DepthInterpolation.profileLength(weightProfile);
        return weightProfile.getManager().create(
                layerWeights(HostArrays.toDoubles(weightProfile), gridSize, lambda));
    }

    /**
     * Computes the depth weights {@code ω} at the teacher's profile points: {@code u_k = W_k/(max W
     * + ε)}, {@code ω̃_k = (1−α)u_k + α}, normalised to unit mean or unit sum.
     *
     * @param weightProfile {@code W^T} at the teacher's points, never null, not empty
     * @param alpha the floor α in {@code [0, 1]}
     * @param normalisation unit mean or unit sum, never null
     * @return a new array of {@code P_T} positive weights
     * @since 0.1
     */
    public static double[] depthWeights(
            double[] weightProfile, double alpha, OmegaNormalisation normalisation) {
        requireNonNull(weightProfile, "weightProfile is null");
        requireNonNull(normalisation, "normalisation is null");
        if (weightProfile.length == 0) {
            throw new IllegalArgumentException("weightProfile is empty");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double value : weightProfile) {
            max = Math.max(max, value);
        }
        double[] omega = new double[weightProfile.length];
        double sum = 0;
        for (int k = 0; k < omega.length; k++) {
            omega[k] = (1 - alpha) * (weightProfile[k] / (max + EPSILON)) + alpha;
            sum += omega[k];
        }
        double divisor = normalisation == OmegaNormalisation.MEAN ? sum / omega.length : sum;
        for (int k = 0; k < omega.length; k++) {
            omega[k] /= divisor;
        }
        return omega;
    }

    /**
     * NDArray form of {@link #depthWeights(double[], double, OmegaNormalisation)}.
     *
     * @param weightProfile {@code W^T}, 1-D, never null; only its values are read
     * @param alpha the floor α in {@code [0, 1]}
     * @param normalisation unit mean or unit sum, never null
     * @return a new float64 array of length {@code P_T} without gradient, attached to the weight
     *     profile's manager
     * @since 0.1
     */
    public static NDArray depthWeights(
            NDArray weightProfile, double alpha, OmegaNormalisation normalisation) {
        DepthInterpolation.profileLength(weightProfile);
        return weightProfile.getManager().create(
                depthWeights(HostArrays.toDoubles(weightProfile), alpha, normalisation));
    }

    /**
     * Evaluates {@code ω(s)}, the interpolation of the depth weights on the teacher's index axis.
     *
     * @param omega the depth weights at the teacher's points, never null
     * @param depth {@code s ∈ [0, 1]}
     * @return {@code ω(s)}
     * @since 0.1
     */
    public static double omegaAt(double[] omega, double depth) {
        return DepthInterpolation.valueAt(omega, depth);
    }
}
