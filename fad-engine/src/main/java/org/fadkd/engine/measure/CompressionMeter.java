package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import org.fadkd.api.LabeledDataset;
import org.fadkd.engine.data.InputShapes;

/**
 * Takes the fad-spec §13 figures of a network: parameters, MACs, saved size, latency and
 * throughput.
 *
 * <p>Timings run on the dataset's {@linkplain LabeledDataset#newExampleInputs example inputs},
 * not on its samples: a network's speed does not depend on the values, and the timing reads no
 * data. The dataset makes them because only it knows what a valid input is: float32 values in [0,
 * 1) by default, token ids below the vocabulary size and a mask for text. The MACs are counted
 * for all of its {@linkplain LabeledDataset#getInputShapes() input shapes}.
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
     * @param inputs the dataset the network takes its inputs from, for their shapes and example
     *     values; never null
     * @param weightsDirectory the directory holding the network's saved {@code .params} files
     * @return the figures
     * @throws org.fadkd.api.FadException when the network holds a block the MAC counter cannot count
     */
    public ModelMeasurements measure(Block block, NDManager manager, LabeledDataset inputs, Path weightsDirectory) {
        requireNonNull(block, "block is null");
        requireNonNull(manager, "manager is null");
        requireNonNull(inputs, "inputs is null");
        long parameters = ParameterCount.trainable(block);
        long macs = MacCounter.count(block, InputShapes.perSample(inputs));
        long bytes = SavedWeights.bytes(weightsDirectory);
        try (NDManager scope = manager.newSubManager()) {
            NDList sample = inputs.newExampleInputs(scope, 1);
            Latency latency = timing.latency(block, sample);
            int batchSize = timing.getSettings().throughputBatchSize();
            NDList batch = inputs.newExampleInputs(scope, batchSize);
            Throughput throughput = timing.throughput(block, batch);
            return new ModelMeasurements(parameters, macs, bytes, latency, throughput);
        }
    }
}
