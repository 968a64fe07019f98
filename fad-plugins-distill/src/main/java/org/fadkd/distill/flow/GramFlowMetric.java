package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fadkd.api.FlowMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.fadkd.engine.flow.Scalars;

/**
 * {@code D = ‖G_next − G_prev‖ / (‖G_next‖ + ε)} on uncentred, norm-scaled batch Gram matrices
 * {@code G = XXᵀ/‖XXᵀ‖} (fad-spec §2): invariant to each tap's scale, sensitive to a common
 * offset, {@code D ∈ [0, √2]}.
 *
 * @since 0.1
 */
public final class GramFlowMetric implements FlowMetric {
    private static final Logger LOG = LoggerFactory.getLogger(GramFlowMetric.class);

    private final GramSettings settings;
    private final AtomicBoolean degenerateWarned = new AtomicBoolean();

    /**
     * Creates the metric.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public GramFlowMetric(GramSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public NDArray divergence(NDArray previous, NDArray next) {
        TapMatrices.requireTwoSamples(GramFactory.NAME, TapMatrices.batchSize(previous, next));
        NDArray previousGram = gram(previous);
        NDArray nextGram = gram(next);
        NDArray previousNorm = TapMatrices.norm(previousGram);
        NDArray nextNorm = TapMatrices.norm(nextGram);
        boolean previousDegenerate = TapMatrices.value(previousNorm) <= TapMatrices.DEGENERATE_NORM;
        if (previousDegenerate || TapMatrices.value(nextNorm) <= TapMatrices.DEGENERATE_NORM) {
            return TapMatrices.degenerate(
                    previous, next, previousDegenerate, GramFactory.NAME, degenerateWarned, LOG);
        }
        NDArray previousScaled = previousGram.div(previousNorm);
        NDArray nextScaled = nextGram.div(nextNorm);
        return TapMatrices.guardedNorm(nextScaled.sub(previousScaled))
                .div(Scalars.add(TapMatrices.norm(nextScaled), settings.epsilon()));
    }

    private static NDArray gram(NDArray tap) {
        NDArray flat = TapMatrices.flatten(tap);
        return flat.matMul(flat.transpose());
    }
}
