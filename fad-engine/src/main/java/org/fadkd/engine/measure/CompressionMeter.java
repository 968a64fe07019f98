package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Path;

/**
 * Takes the fad-spec §13 figures of a network: parameters, MACs, saved size, latency and
 * throughput.
 *
 * <p>Timings run on random inputs drawn uniformly from [0, 1) in float32: a conv net's speed does
 * not depend on the values, and the measurement needs no dataset. Models taking other input types
 * (token ids) are not supported by this class yet.
 *
 * <p>Memory: the inputs and every pass live in a sub-manager of the given manager, closed before
 * {@link #measure} returns.
 *
 * @since 0.1
 */
public final class CompressionMeter {
    private final InferenceTiming timing;

    /**
     * @param timing how to time passes, never null
     */
    public CompressionMeter(InferenceTiming timing) {
        this.timing = requireNonNull(timing, "timing is null");
    }

    /**
     * Measures a trained network in inference mode. Call it outside any gradient collector, when
     * nothing else runs on the machine.
     *
     * @param block the network, initialised, never null
     * @param manager a manager on the network's device (the model's own, for example); left as
     *     it was
     * @param sampleShape one sample's input shape, without the batch axis, never null
     * @param weightsDirectory the directory holding the network's saved {@code .params} files
     * @return the figures
     * @throws org.fadkd.api.FadException when the network holds a block the MAC counter cannot count
     */
    public ModelMeasurements measure(Block block, NDManager manager, Shape sampleShape, Path weightsDirectory) {
        requireNonNull(block, "block is null");
        requireNonNull(manager, "manager is null");
        requireNonNull(sampleShape, "sampleShape is null");
        long parameters = ParameterCount.trainable(block);
        long macs = MacCounter.count(block, sampleShape);
        long bytes = SavedWeights.bytes(weightsDirectory);
        try (NDManager scope = manager.newSubManager()) {
            NDList sample = new NDList(scope.randomUniform(0f, 1f, new Shape(1).addAll(sampleShape)));
            Latency latency = timing.latency(block, sample);
            int batchSize = timing.getSettings().throughputBatchSize();
            NDList batch = new NDList(scope.randomUniform(0f, 1f, new Shape(batchSize).addAll(sampleShape)));
            Throughput throughput = timing.throughput(block, batch);
            return new ModelMeasurements(parameters, macs, bytes, latency, throughput);
        }
    }
}
