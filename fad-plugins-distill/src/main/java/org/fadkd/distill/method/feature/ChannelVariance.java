package org.fadkd.distill.method.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.fadkd.flow.Scalars;

/**
 * VID's per-channel variance (fad-spec §11.6): a trainable {@code v_c} per teacher channel and
 * {@code σ²_c = softplus(v_c) + ε}. Its forward takes the features whose manager the variance
 * should live on (a batch array) and returns {@code σ²}, shape {@code (C)}.
 *
 * @since 0.1
 */
public final class ChannelVariance extends AbstractBlock {
    private static final byte VERSION = 1;

    private final double epsilon;
    private final Parameter variance;

    /**
     * Creates the block; {@link #initialize} sets every {@code v_c} to {@code initialValue}.
     *
     * @param channels the number of channels {@code C >= 1}
     * @param initialValue {@code v_c} at the start, {@code ln(exp(σ²_0 − ε) − 1)} for an initial
     *     variance {@code σ²_0}
     * @param epsilon ε, added to the softplus
     * @since 0.1
     */
    public ChannelVariance(long channels, double initialValue, double epsilon) {
        super(VERSION);
        this.epsilon = epsilon;
        this.variance = addParameter(Parameter.builder()
                .setName("variance")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer((float) initialValue))
                .build());
    }

    /**
     * Returns {@code v_c} for a variance {@code σ²}: the inverse of {@code σ² = softplus(v) + ε}.
     *
     * @param variance {@code σ² > ε}
     * @param epsilon ε
     * @return {@code ln(exp(σ² − ε) − 1)}
     * @since 0.1
     */
    public static double inverseSoftplus(double variance, double epsilon) {
        return Math.log(Math.expm1(variance - epsilon));
    }

    /**
     * Computes {@code σ² = softplus(v) + ε}.
     *
     * @param v the parameter {@code (C)}, never null
     * @param epsilon ε
     * @return {@code σ²}, on {@code v}'s manager
     * @since 0.1
     */
    public static NDArray variance(NDArray v, double epsilon) {
        return Scalars.add(Activation.softPlus(v), epsilon);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray like = inputs.head();
        NDArray v = parameterStore.getValue(variance, like.getDevice(), training);
        // Computed from the run-long parameter, so DJL attaches it to the run's manager: move it to
        // the batch's before anything else is derived from it.
        NDArray softplus = Modules.onBatch(Activation.softPlus(v), like.getManager());
        return new NDList(Scalars.add(softplus, epsilon));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {variance.getShape()};
    }
}
