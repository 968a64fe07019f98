package org.fadkd.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.fadkd.api.block.MacCounted;

/**
 * A linear layer {@code y = x·W + b} whose weight is stored (in, out), the transpose of
 * nn.Linear's: GPT-2's {@code Conv1D}. Keeping GPT-2's layout lets its checkpoints load tensor
 * for tensor, the fused query-key-value projection {@code c_attn} (H, 3H) included, with no
 * transposition. Parameters {@code weight} (in, out) and {@code bias} (out).
 */
final class InputMajorLinear extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;
    /** GPT-2's initializer_range. */
    private static final float INITIAL_STANDARD_DEVIATION = 0.02f;

    private final long inputs;
    private final long outputs;
    private final Parameter weight;
    private final Parameter bias;

    InputMajorLinear(long inputs, long outputs) {
        super(VERSION);
        this.inputs = inputs;
        this.outputs = outputs;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(inputs, outputs))
                .optInitializer(new NormalInitializer(INITIAL_STANDARD_DEVIATION))
                .build());
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outputs))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList input, boolean training,
            PairList<String, Object> params) {
        NDArray x = input.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        // x first, so that the result joins the batch's manager
        return new NDList(x.matMul(w).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        if (input.getLastDimension() != inputs) {
            throw new IllegalArgumentException("expected " + inputs + " input features, got shape " + input);
        }
        return new Shape[] {input.slice(0, input.dimension() - 1).add(outputs)};
    }

    /** {@code rows · in · out}, as the host counts a linear layer. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        return inputShapes[0].size() * outputs;
    }
}
