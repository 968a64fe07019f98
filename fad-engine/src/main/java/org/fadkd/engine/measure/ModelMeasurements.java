package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

/**
 * The fad-spec §13 figures of one network, teacher or exported student.
 *
 * @param parameters trainable parameters ({@link ParameterCount})
 * @param multiplyAccumulates MACs of one sample at the task's input size ({@link MacCounter})
 * @param weightBytes bytes of the saved weight files ({@link SavedWeights})
 * @param latency batch-1 latency
 * @param throughput throughput at the configured batch
 * @since 0.1
 */
public record ModelMeasurements(
        long parameters, long multiplyAccumulates, long weightBytes, Latency latency, Throughput throughput) {
    public ModelMeasurements {
        requireNonNull(latency, "latency is null");
        requireNonNull(throughput, "throughput is null");
    }

    /** Returns {@code gflops}: MACs / 1e9 (1 MAC = 1 FLOP, as torchvision and fvcore report). */
    public double gflops() {
        return multiplyAccumulates / 1e9;
    }

    /** Returns {@code size_mb}: the weight files' bytes / 2^20. */
    public double sizeMegabytes() {
        return SavedWeights.megabytes(weightBytes);
    }
}
