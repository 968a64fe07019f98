package org.fadkd.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/**
 * Summary of repeated measurements: the median and the spread around it. Quartiles interpolate
 * linearly between order statistics (R's type 7, numpy's default), so a handful of repeats still
 * gives stable values.
 *
 * @param n how many measurements
 * @param median the median
 * @param min the smallest
 * @param max the largest
 * @param q1 the first quartile
 * @param q3 the third quartile
 */
public record Distribution(int n, double median, double min, double max, double q1, double q3) {
    public Distribution {
        if (n < 1) {
            throw new IllegalArgumentException("a distribution needs at least one measurement, got " + n);
        }
    }

    /** Summarises {@code values}, at least one, none NaN. */
    public static Distribution of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Summarises {@code values}, at least one, none NaN. */
    public static Distribution of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements to summarise");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("a measurement is NaN: " + Arrays.toString(values));
        }
        return new Distribution(sorted.length, quantile(sorted, 0.5), sorted[0], sorted[sorted.length - 1],
                quantile(sorted, 0.25), quantile(sorted, 0.75));
    }

    /** The distribution of {@code factor} times each value (order statistics scale with it). */
    public Distribution times(double factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("a negative factor reverses the order: " + factor);
        }
        return new Distribution(n, median * factor, min * factor, max * factor, q1 * factor, q3 * factor);
    }

    private static double quantile(double[] sorted, double probability) {
        double position = probability * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
