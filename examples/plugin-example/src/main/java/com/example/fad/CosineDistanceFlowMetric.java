package com.example.fad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;

/**
 * {@code D = (1/B) Σ_b (1 − cos(x_b, y_b))} between the flattened outputs of two adjacent taps: 0
 * when a layer only rescales its input, up to 2 when it flips it. Differentiable in both inputs.
 */
final class CosineDistanceFlowMetric implements FlowMetric {
    private final double epsilon;

    CosineDistanceFlowMetric(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    public NDArray divergence(NDArray previous, NDArray next) {
        long batch = previous.getShape().get(0);
        if (previous.getShape().size() != next.getShape().size()) {
            throw sizeMismatch("the earlier tap", previous.getShape().slice(1), "the later tap", next.getShape().slice(1));
        }
        NDArray x = previous.reshape(batch, -1);
        NDArray y = next.reshape(batch, -1);
        NDArray dot = x.mul(y).sum(new int[] {1});
        NDArray norms = x.square().sum(new int[] {1}).sqrt().add(epsilon)
                .mul(y.square().sum(new int[] {1}).sqrt().add(epsilon));
        return dot.div(norms).neg().add(1).mean();
    }

    @Override
    public void checkAdjacentTaps(String previousName, Shape previous, String nextName, Shape next) {
        if (previous.size() != next.size()) {
            throw sizeMismatch("tap '" + previousName + "'", previous, "tap '" + nextName + "'", next);
        }
    }

    private static FadException sizeMismatch(String previousName, Shape previous, String nextName, Shape next) {
        return new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                "Flow metric 'cosine-distance' needs adjacent taps of equal size: " + previousName + " gives "
                        + previous + ", " + nextName + " gives " + next + ".");
    }
}
