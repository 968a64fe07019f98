package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Interpolation of a profile at normalised depth (fad-spec §1), written as matrices so that a
 * profile is evaluated at many depths with one matrix product and gradients reach the two
 * neighbouring profile points.
 *
 * <p>A profile {@code X} of length {@code P} is evaluated at {@code s ∈ [0, 1]} as {@code x =
 * s(P−1)}, {@code f = ⌊x⌋}, {@code c = min(f+1, P−1)}, {@code X(s) = (1−a)·X_f + a·X_c} with {@code
 * a = x − f}. On a grid of {@code n} points {@code s_i = i/(n−1)} ({@code s_0 = 0} when {@code n =
 * 1}) the fractions are computed from integers, so a grid point that falls on a profile point takes
 * that point exactly.
 *
 * @since 0.1
 */
public final class DepthInterpolation {
    private DepthInterpolation() {}

    /**
     * Returns the size of the common grid of two profiles, {@code M = max(P_T, P_S)}.
     *
     * @param teacherLength {@code P_T}, at least 1
     * @param studentLength {@code P_S}, at least 1
     * @return {@code M}
     * @since 0.1
     */
    public static int commonGridSize(int teacherLength, int studentLength) {
        checkLength("teacherLength", teacherLength);
        checkLength("studentLength", studentLength);
        return Math.max(teacherLength, studentLength);
    }

    /**
     * Returns the interpolation weights on the Java heap: row {@code i} holds the weights of the
     * profile points at {@code s_i = i/(points−1)}.
     *
     * @param points the number of grid points {@code n}, at least 1
     * @param profileLength {@code P}, at least 1
     * @return a new {@code points × P} array; every row sums to 1
     * @since 0.1
     */
    public static double[][] weights(int points, int profileLength) {
        checkLength("points", points);
        checkLength("profileLength", profileLength);
        double[][] rows = new double[points][profileLength];
        for (int i = 0; i < points; i++) {
            if (points == 1 || profileLength == 1) {
                rows[i][0] = 1;
                continue;
            }
            // x = i(P−1)/(n−1), kept as a fraction so that exact grid hits give a = 0.
            long numerator = (long) i * (profileLength - 1);
            int floor = (int) (numerator / (points - 1));
            double fraction = (double) (numerator % (points - 1)) / (points - 1);
            int ceil = Math.min(floor + 1, profileLength - 1);
            rows[i][floor] += 1 - fraction;
            rows[i][ceil] += fraction;
        }
        return rows;
    }

    /**
     * Returns the interpolation matrix {@code R} ({@code points × P}) with {@code R·D = D(s_i)}.
     *
     * @param manager the manager the matrix is attached to, never null
     * @param points the number of grid points, at least 1
     * @param profileLength {@code P}, at least 1
     * @param type a floating-point data type, never null
     * @return a new matrix without gradient
     * @since 0.1
     */
    public static NDArray matrix(NDManager manager, int points, int profileLength, DataType type) {
        requireNonNull(manager, "manager is null");
        requireNonNull(type, "type is null");
        return toArray(manager, weights(points, profileLength), false, type);
    }

    /**
     * Returns the transpose of {@link #matrix}, {@code Rᵀ} ({@code P × points}). A row vector
     * profile times {@code Rᵀ} gives the interpolated values attached to the profile's manager,
     * which is how batch-scoped profiles use a matrix kept in a longer-lived manager.
     *
     * @param manager the manager the matrix is attached to, never null
     * @param points the number of grid points, at least 1
     * @param profileLength {@code P}, at least 1
     * @param type a floating-point data type, never null
     * @return a new matrix without gradient
     * @since 0.1
     */
    public static NDArray transposedMatrix(
            NDManager manager, int points, int profileLength, DataType type) {
        requireNonNull(manager, "manager is null");
        requireNonNull(type, "type is null");
        return toArray(manager, weights(points, profileLength), true, type);
    }

    /**
     * Resamples a profile to a grid of {@code gridSize} points ({@code X̂_j = X(σ_j)}).
     *
     * <p>Differentiable in {@code profile}. When {@code gridSize} equals the profile's length
     * nothing is interpolated and the profile itself is returned.
     *
     * @param profile a 1-D floating-point profile of length {@code P ≥ 1}, never null
     * @param gridSize the number of grid points, at least 1
     * @return the resampled profile, of the profile's type, attached to its manager
     * @since 0.1
     */
    public static NDArray resample(NDArray profile, int gridSize) {
        int length = profileLength(profile);
        if (length == gridSize) {
            return profile;
        }
        try (NDArray transposed = transposedMatrix(
                profile.getManager(), gridSize, length, profile.getDataType())) {
            return profile.matMul(transposed);
        }
    }

    /**
     * Evaluates a profile held on the Java heap at one depth.
     *
     * @param profile the profile, at least one value, never null
     * @param depth {@code s ∈ [0, 1]}
     * @return {@code X(s)}
     * @since 0.1
     */
    public static double valueAt(double[] profile, double depth) {
        requireNonNull(profile, "profile is null");
        checkLength("profile length", profile.length);
        if (!(depth >= 0 && depth <= 1)) {
            throw new IllegalArgumentException("depth " + depth + " outside [0, 1]");
        }
        if (profile.length == 1) {
            return profile[0];
        }
        double x = depth * (profile.length - 1);
        int floor = Math.min((int) Math.floor(x), profile.length - 1);
        int ceil = Math.min(floor + 1, profile.length - 1);
        double fraction = x - floor;
        return (1 - fraction) * profile[floor] + fraction * profile[ceil];
    }

    /**
     * Evaluates every grid point of a profile held on the Java heap ({@code R·X}).
     *
     * @param profile the profile, never null
     * @param points the number of grid points, at least 1
     * @return a new array of {@code points} values
     * @since 0.1
     */
    public static double[] resample(double[] profile, int points) {
        requireNonNull(profile, "profile is null");
        double[][] weights = weights(points, profile.length);
        double[] result = new double[points];
        for (int i = 0; i < points; i++) {
            double sum = 0;
            for (int k = 0; k < profile.length; k++) {
                sum += weights[i][k] * profile[k];
            }
            result[i] = sum;
        }
        return result;
    }

    static int profileLength(NDArray profile) {
        requireNonNull(profile, "profile is null");
        Shape shape = profile.getShape();
        if (shape.dimension() != 1 || shape.get(0) < 1) {
            throw new IllegalArgumentException("a profile is a non-empty 1-D array, got shape " + shape);
        }
        return Math.toIntExact(shape.get(0));
    }

    private static NDArray toArray(
            NDManager manager, double[][] rows, boolean transpose, DataType type) {
        int height = rows.length;
        int width = rows[0].length;
        double[] flat = new double[height * width];
        for (int i = 0; i < height; i++) {
            for (int k = 0; k < width; k++) {
                if (transpose) {
                    flat[k * height + i] = rows[i][k];
                } else {
                    flat[i * width + k] = rows[i][k];
                }
            }
        }
        Shape shape = transpose ? new Shape(width, height) : new Shape(height, width);
        NDArray array = manager.create(flat, shape);
        if (type == DataType.FLOAT64) {
            return array;
        }
        try (array) {
            return array.toType(type, true);
        }
    }

    private static void checkLength(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
