package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

/**
 * The fad-spec §13 figures of one network, teacher or exported student.
 *
 * @param parameters trainable parameters ({@link ParameterCount})
 * @param multiplyAccumulates MACs of one sample at the task's input size ({@link MacCounter}), or
 *     {@link org.fadkd.api.block.MacCounted#UNKNOWN} for a network whose work the counter cannot see
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

    /** Says whether the MACs are known (not for a TorchScript module). */
    public boolean hasKnownMultiplyAccumulates() {
        return multiplyAccumulates != org.fadkd.api.block.MacCounted.UNKNOWN;
    }

    /**
     * Returns {@code gflops}: MACs / 1e9 (1 MAC = 1 FLOP, as torchvision and fvcore report); NaN
     * when the MACs are unknown.
     */
    public double gflops() {
        return hasKnownMultiplyAccumulates() ? multiplyAccumulates / 1e9 : Double.NaN;
    }

    /** Returns {@code size_mb}: the weight files' bytes / 2^20. */
    public double sizeMegabytes() {
        return SavedWeights.megabytes(weightBytes);
    }
}
