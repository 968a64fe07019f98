package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/**
 * Pearson's correlation coefficient of two samples, used by the sensitivity match of student
 * selection and, on ranks, by {@link Spearman}.
 *
 * @since 0.1
 */
public final class Pearson {
    /**
     * Values whose spread is at most this fraction of their magnitude count as constant. Resampling
     * a constant profile onto a finer grid leaves differences of an ulp or so; a "correlation"
     * computed from those would be rounding noise, not a property of the profile.
     */
    static final double CONSTANT_TOLERANCE = 1e-12;

    private Pearson() {}

    /**
     * Returns {@code ρ = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)}.
     *
     * @param x the first sample, never null
     * @param y the second sample, as long as {@code x}, never null
     * @return {@code ρ ∈ [−1, 1]}; empty when either sample has zero variance (including a single
     *     value), where the coefficient is undefined
     * @throws IllegalArgumentException when the lengths differ or the samples are empty
     * @since 0.1
     */
    public static OptionalDouble correlation(double[] x, double[] y) {
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException(
                    "Pearson's correlation needs two non-empty samples of one length, got " + x.length + " and "
                            + y.length);
        }
        if (isConstant(x) || isConstant(y)) {
            return OptionalDouble.empty();
        }
        double meanX = mean(x);
        double meanY = mean(y);
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            xy += dx * dy;
            xx += dx * dx;
            yy += dy * dy;
        }
        // rounding can push |ρ| a hair past 1 for perfectly (anti-)correlated samples
        return OptionalDouble.of(Math.max(-1, Math.min(1, xy / Math.sqrt(xx * yy))));
    }

    private static boolean isConstant(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return max - min <= CONSTANT_TOLERANCE * Math.max(Math.abs(min), Math.abs(max));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
