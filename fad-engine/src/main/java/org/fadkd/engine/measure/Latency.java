package org.fadkd.engine.measure;

import java.util.Arrays;

/**
 * The {@code latency_ms} figure of fad-spec §13: timed forward passes at batch 1 after a warm-up.
 *
 * @param medianMilliseconds the median pass, in milliseconds (the mean of the two middle passes
 *     when their number is even)
 * @param p90Milliseconds the 90th percentile, linearly interpolated between the closest ranks as
 *     numpy's default {@code percentile} does
 * @param runs how many passes were timed
 * @since 0.1
 */
public record Latency(double medianMilliseconds, double p90Milliseconds, int runs) {
    /**
     * Summarises the durations of timed passes.
     *
     * @param nanoseconds one duration per pass, at least one
     * @return the summary
     */
    public static Latency of(long[] nanoseconds) {
        if (nanoseconds.length == 0) {
            throw new IllegalArgumentException("no timed passes");
        }
        long[] sorted = nanoseconds.clone();
        Arrays.sort(sorted);
        return new Latency(percentile(sorted, 0.5) / 1e6, percentile(sorted, 0.9) / 1e6, sorted.length);
    }

    /** The value at rank {@code q·(n−1)}, interpolated between its neighbours. */
    private static double percentile(long[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
