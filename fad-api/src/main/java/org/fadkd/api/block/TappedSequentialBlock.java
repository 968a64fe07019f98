package org.fadkd.api.block;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A model made of named stages run one after another, then a head. Each stage's output is a tap;
 * forward returns {@code [head output, tap_0, …, tap_{L−1}]} as {@link
 * org.fadkd.api.Architecture} requires.
 *
 * <p>Returning the taps costs no extra memory: they are intermediate activations the backward pass
 * keeps anyway. Callers that only want the output take element 0.
 *
 * @since 0.1
 */
public final class TappedSequentialBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<String> tapNames = new ArrayList<>();
    private final List<Block> stages = new ArrayList<>();
    private Block head;

    /**
     * Creates an empty block; add stages with {@link #addStage} and finish with {@link #setHead}.
     *
     * @since 0.1
     */
    public TappedSequentialBlock() {
        super(VERSION);
    }

    /**
     * Appends a stage whose output is the tap of the given name.
     *
     * @param tapName the tap's name, unique within the block, never null
     * @param stage the stage, never null
     * @return this block
     * @since 0.1
     */
    public TappedSequentialBlock addStage(String tapName, Block stage) {
        requireNonNull(tapName, "tapName is null");
        requireNonNull(stage, "stage is null");
        if (tapNames.contains(tapName)) {
            throw new IllegalArgumentException("duplicate tap name '" + tapName + "'");
        }
        if (head != null) {
            throw new IllegalStateException("stage '" + tapName + "' added after the head");
        }
        tapNames.add(tapName);
        stages.add(addChildBlock(tapName, stage));
        return this;
    }

    /**
     * Sets the head that maps the last tap to the output (for example pooling and a linear layer).
     *
     * @param head the head, never null
     * @return this block
     * @since 0.1
     */
    public TappedSequentialBlock setHead(Block head) {
        requireNonNull(head, "head is null");
        if (this.head != null) {
            throw new IllegalStateException("head already set");
        }
        this.head = addChildBlock("head", head);
        return this;
    }

    /**
     * Returns the tap names in execution order.
     *
     * @return an unmodifiable copy, never null
     * @since 0.1
     */
    public List<String> getTapNames() {
        return List.copyOf(tapNames);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checkComplete();
        NDList result = new NDList(stages.size() + 1);
        result.add(null); // the head output goes first, once known
        NDList current = inputs;
        for (Block stage : stages) {
            current = stage.forward(parameterStore, current, training, params);
            result.add(current.singletonOrThrow());
        }
        NDList output = head.forward(parameterStore, current, training, params);
        result.set(0, output.singletonOrThrow());
        return result;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkComplete();
        Shape[] result = new Shape[stages.size() + 1];
        Shape[] current = inputShapes;
        for (int i = 0; i < stages.size(); i++) {
            current = stages.get(i).getOutputShapes(current);
            result[i + 1] = current[0];
        }
        result[0] = head.getOutputShapes(current)[0];
        return result;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkComplete();
        Shape[] current = inputShapes;
        for (Block stage : stages) {
            stage.initialize(manager, dataType, current);
            current = stage.getOutputShapes(current);
        }
        head.initialize(manager, dataType, current);
    }

    private void checkComplete() {
        if (stages.isEmpty() || head == null) {
            throw new IllegalStateException("a tapped block needs at least one stage and a head");
        }
    }
}
