package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Spearman's rank correlation (fad-spec §10, "What is validated"): Pearson's correlation of the
 * average ranks of two samples, ties sharing the mean of the ranks they span.
 *
 * @since 0.1
 */
public final class Spearman {
    private Spearman() {}

    /**
     * Returns the 1-based ascending ranks of the values; tied values share the mean of their ranks
     * ({@code [0.71, 0.64, 0.69, 0.52, 0.64]} gives {@code [5, 2.5, 4, 1, 2.5]}).
     *
     * @param values the values, finite, never null
     * @return a new array of ranks in the order of {@code values}
     * @throws IllegalArgumentException when a value is not finite
     * @since 0.1
     */
    public static double[] averageRanks(double[] values) {
        requireNonNull(values, "values is null");
        for (double value : values) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("cannot rank " + Arrays.toString(values) + ": " + value);
            }
        }
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int first = 0;
        while (first < order.length) {
            int last = first;
            while (last + 1 < order.length && values[order[last + 1]] == values[order[first]]) {
                last++;
            }
            // positions first..last hold ranks first+1..last+1, whose mean is this
            double shared = (first + last) / 2.0 + 1;
            for (int position = first; position <= last; position++) {
                ranks[order[position]] = shared;
            }
            first = last + 1;
        }
        return ranks;
    }

    /**
     * Returns Spearman's rank correlation of two paired samples.
     *
     * @param x the first sample, finite values, never null
     * @param y the second sample, as long as {@code x}, finite values, never null
     * @return {@code ρ_s ∈ [−1, 1]}; NaN when it is undefined: fewer than two pairs, or every value
     *     of one sample tied
     * @throws IllegalArgumentException when the lengths differ or a value is not finite
     * @since 0.1
     */
    public static double correlation(double[] x, double[] y) {
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("Spearman's correlation needs paired samples, got " + x.length
                    + " and " + y.length + " values");
        }
        if (x.length == 0) {
            return Double.NaN;
        }
        return Pearson.correlation(averageRanks(x), averageRanks(y)).orElse(Double.NaN);
    }
}
