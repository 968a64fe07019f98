package org.fadkd.engine.measure;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * How {@link InferenceTiming} times a model (fad-spec §13 and §14.1).
 *
 * @param latencyWarmup untimed batch-1 passes before the timed ones, at least 0
 * @param latencyRuns timed batch-1 passes whose median is the latency, at least 1
 * @param throughputBatchSize samples per batch for throughput, at least 1
 * @param throughputWarmup untimed batches before the timed ones, at least 0
 * @param throughputMinBatches the fewest timed batches, at least 1
 * @param throughputMinSeconds the least time the timed batches must take together, at least 0;
 *     timing goes on, batch after batch, until both minimums are reached
 * @since 0.1
 */
public record TimingSettings(
        int latencyWarmup,
        int latencyRuns,
        int throughputBatchSize,
        int throughputWarmup,
        int throughputMinBatches,
        double throughputMinSeconds) {
    /**
     * fad-spec §14.1: latency 20 warm-up runs, then 100; throughput batch 64, 10 warm-up batches,
     * then at least 50 batches and 2 s.
     */
    public static final TimingSettings DEFAULTS = new TimingSettings(20, 100, 64, 10, 50, 2.0);

    public TimingSettings {
        require(latencyWarmup >= 0, "latencyWarmup", latencyWarmup, "at least 0");
        require(latencyRuns >= 1, "latencyRuns", latencyRuns, "at least 1");
        require(throughputBatchSize >= 1, "throughputBatchSize", throughputBatchSize, "at least 1");
        require(throughputWarmup >= 0, "throughputWarmup", throughputWarmup, "at least 0");
        require(throughputMinBatches >= 1, "throughputMinBatches", throughputMinBatches, "at least 1");
        require(throughputMinSeconds >= 0 && Double.isFinite(throughputMinSeconds), "throughputMinSeconds",
                throughputMinSeconds, "a finite number, at least 0");
    }

    /**
     * Reads a {@code measurement} section: {@code latency-warmup}, {@code latency-runs}, {@code
     * throughput-batch-size}, {@code throughput-warmup}, {@code throughput-min-batches} and {@code
     * throughput-min-seconds}, one for each component, reporting every problem at once.
     *
     * @param section the section, merged over its defaults; never null
     * @param path where the section sits, for messages (e.g. {@code measurement})
     * @return the settings
     * @throws org.fadkd.api.FadException with {@code CONFIG_INVALID} listing every missing or
     *     out-of-range value
     */
    public static TimingSettings from(Config section, String path) {
        SettingsReader reader = new SettingsReader(section, "section", path);
        int latencyWarmup = reader.getInt("latency-warmup", 0, Integer.MAX_VALUE);
        int latencyRuns = reader.getInt("latency-runs", 1, Integer.MAX_VALUE);
        int throughputBatchSize = reader.getInt("throughput-batch-size", 1, Integer.MAX_VALUE);
        int throughputWarmup = reader.getInt("throughput-warmup", 0, Integer.MAX_VALUE);
        int throughputMinBatches = reader.getInt("throughput-min-batches", 1, Integer.MAX_VALUE);
        double throughputMinSeconds = reader.getDouble("throughput-min-seconds", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new TimingSettings(latencyWarmup, latencyRuns, throughputBatchSize, throughputWarmup,
                throughputMinBatches, throughputMinSeconds);
    }

    private static void require(boolean valid, String name, Object value, String allowed) {
        if (!valid) {
            throw new IllegalArgumentException(name + " is " + value + "; it must be " + allowed);
        }
    }
}
