package org.fadkd.distill.method.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;

/**
 * Building, initialising and running the extra modules of the feature methods (fad-spec §11 intro).
 *
 * @since 0.1
 */
public final class Modules {
    private Modules() {}

    /**
     * A convolution with a square kernel and "same" padding, stride 1.
     *
     * @param channels the output channels
     * @param kernel the odd kernel size
     * @param bias whether it has a bias
     * @return the unbuilt-shape block, not initialised
     * @since 0.1
     */
    public static Block convolution(long channels, int kernel, boolean bias) {
        return Conv2d.builder()
                .setFilters(Math.toIntExact(channels))
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(bias)
                .build();
    }

    /**
     * A linear layer on the last axis, for taps {@code (B, N, D)} and {@code (B, D)}.
     *
     * @param units the output size
     * @param bias whether it has a bias
     * @return the block, not initialised
     * @since 0.1
     */
    public static Block linear(long units, boolean bias) {
        return Linear.builder().setUnits(units).optBias(bias).build();
    }

    /**
     * Initialises a block on the run's manager (float32, as tap outputs are) for inputs of a
     * per-sample shape.
     *
     * @param block the block, never null
     * @param setup the run, whose manager the parameters live on, never null
     * @param perSample the input's shape without the batch axis, never null
     * @return the block
     * @since 0.1
     */
    public static Block initialize(Block block, MethodSetup setup, Shape perSample) {
        block.initialize(setup.manager(), DataType.FLOAT32, new Shape(1).addAll(perSample));
        return block;
    }

    /**
     * Runs a module in training mode through the batch's parameter store, so that the host's
     * optimizer updates the parameters it used.
     *
     * @param block the module, never null
     * @param batch the batch, never null
     * @param input a batch array, never null
     * @return the first output, attached to the input's manager (DJL's layers take the input's)
     * @since 0.1
     */
    public static NDArray forward(Block block, DistillationBatch batch, NDArray input) {
        return block.forward(batch.moduleParameters(), new NDList(input), true).head();
    }

    /**
     * Moves a result computed from a module parameter, which DJL attached to the run-long manager,
     * onto a batch manager, so that it is freed with the batch instead of piling up every step.
     *
     * @param array the result, never null
     * @param manager the batch manager, never null
     * @return the same array, now attached to {@code manager}
     * @since 0.1
     */
    public static NDArray onBatch(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }
}
