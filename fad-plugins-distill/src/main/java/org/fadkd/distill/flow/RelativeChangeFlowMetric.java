package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.flow.Scalars;

/**
 * The original FAD divergence {@code D = (1/B) Σ_b ‖Y_b − X_b‖ / (‖Y_b‖ + ε)} (fad-spec §2). It
 * needs adjacent taps with the same number of values per sample.
 *
 * @since 0.1
 */
public final class RelativeChangeFlowMetric implements FlowMetric {
    private final RelativeChangeSettings settings;

    /**
     * Creates the metric.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public RelativeChangeFlowMetric(RelativeChangeSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public NDArray divergence(NDArray previous, NDArray next) {
        TapMatrices.batchSize(previous, next);
        Shape previousSample = previous.getShape().slice(1);
        Shape nextSample = next.getShape().slice(1);
        if (previousSample.size() != nextSample.size()) {
            throw sizeMismatch("the earlier tap", previousSample, "the later tap", nextSample);
        }
        NDArray x = TapMatrices.flatten(previous);
        NDArray y = TapMatrices.flatten(next);
        NDArray change = TapMatrices.guardedNorm(y.sub(x), 1);
        NDArray scale = Scalars.add(TapMatrices.guardedNorm(y, 1), settings.epsilon());
        return change.div(scale).mean();
    }

    @Override
    public void checkAdjacentTaps(String previousName, Shape previous, String nextName, Shape next) {
        if (previous.size() != next.size()) {
            throw sizeMismatch("tap '" + previousName + "'", previous, "tap '" + nextName + "'", next);
        }
    }

    private static FadException sizeMismatch(
            String previousName, Shape previous, String nextName, Shape next) {
        return new FadException(
                ErrorCode.INCOMPATIBLE_COMPONENTS,
                "Flow metric '" + RelativeChangeFactory.NAME + "' needs adjacent taps of equal size: "
                        + previousName + " gives " + previous + " = " + previous.size()
                        + " values per sample, " + nextName + " gives " + next + " = " + next.size()
                        + ". Use flow-metric = cka (or gram), or declare taps of equal shape.");
    }
}
