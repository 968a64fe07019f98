package org.fadkd.engine.teacher;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.TapLayout;

/**
 * The teacher's mean flow profile {@code D̄^T} over the training split and its per-point
 * statistics (fad-spec §9), as stored in the teacher-flow cache.
 *
 * @param key the cache key the profile was computed for, never null
 * @param mean {@code D̄^T_k = (1/N_b) Σ_b D^T_k(b)}, {@code P_T = L − 1} points in tap order
 * @param std the population standard deviation of each point over the batches ({@code 1/N_b})
 * @param min the smallest batch value of each point
 * @param max the largest batch value of each point
 * @param batchCount {@code N_b}, the number of batches averaged
 * @param batchSize {@code B}, the batch size every batch had
 * @param taps the teacher's taps with per-sample shapes (no batch axis), in execution order
 */
public record TeacherFlowProfile(
        String key, double[] mean, double[] std, double[] min, double[] max, int batchCount, int batchSize,
        TapLayout taps) {
    public TeacherFlowProfile {
        requireNonNull(key, "key is null");
        requireNonNull(taps, "taps is null");
        int points = taps.size() - 1;
        for (double[] values : new double[][] {mean, std, min, max}) {
            requireNonNull(values, "a statistic is null");
            if (values.length != points) {
                throw new IllegalArgumentException(String.format(
                        "%d taps give %d profile points, but a statistic has %d", taps.size(), points, values.length));
            }
        }
        if (batchCount < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "batch count and size must be positive: " + batchCount + ", " + batchSize);
        }
        mean = mean.clone();
        std = std.clone();
        min = min.clone();
        max = max.clone();
    }

    /** Returns a copy of the mean profile. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public double[] min() {
        return min.clone();
    }

    @Override
    public double[] max() {
        return max.clone();
    }
}
