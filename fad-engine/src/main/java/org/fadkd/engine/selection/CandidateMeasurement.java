package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import org.fadkd.engine.measure.Latency;

/**
 * A candidate's cost, measured as every run measures its student (fad-spec §13): trainable
 * parameters, multiply-accumulates of one sample, and the batch-1 latency.
 *
 * @param params trainable parameters, BN running statistics excluded
 * @param macs multiply-accumulates of one sample's forward pass
 * @param latency the batch-1 inference latency
 * @since 0.1
 */
public record CandidateMeasurement(long params, long macs, Latency latency) {
    public CandidateMeasurement {
        requireNonNull(latency, "latency is null");
    }

    /** @return {@code macs / 1e9}, the {@code gflops} of a summary */
    public double gflops() {
        return macs / 1e9;
    }

    /** @return the median batch-1 latency in milliseconds, the {@code latency_ms} of a summary */
    public double latencyMs() {
        return latency.medianMilliseconds();
    }
}
