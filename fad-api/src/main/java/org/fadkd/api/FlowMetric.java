package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Measures how much a representation changes between two adjacent taps: one point {@code D_k} of a
 * flow profile (fad-spec §2). The same metric instance serves teacher and student.
 *
 * <p>Thread-safety: stateless apart from settings; may be shared.
 *
 * @since 0.1
 */
public interface FlowMetric {
    /**
     * Computes {@code D(previous, next) ≥ 0} for one batch.
     *
     * <p>Gradient: differentiable w.r.t. both arguments when they carry gradients (the student),
     * and then it must not cut the graph. With the degenerate-tap rule of fad-spec §2 the result may
     * be a constant.
     *
     * @param previous tap output {@code (B, …)}, float32, never null
     * @param next the following tap output {@code (B, …)}, float32, same {@code B}, never null
     * @return a scalar float32 attached to {@code previous}'s manager
     * @since 0.1
     */
    NDArray divergence(NDArray previous, NDArray next);

    /**
     * Computes a whole profile: {@code D_k = divergence(taps[k−1], taps[k])} for every adjacent
     * pair, in order.
     *
     * <p>The default calls {@link #divergence} on each pair, so every inner tap is processed twice.
     * A metric built on a per-tap quantity (the Gram matrix of cka and gram) overrides this to
     * compute that quantity once per tap; its results must equal the default's, gradients included.
     *
     * @param taps tap outputs {@code (B, …)} in execution order, float32, the same {@code B}, at
     *     least two, never null
     * @return {@code taps.size() − 1} scalars, each as {@link #divergence} returns it
     * @since 0.1
     */
    default NDList divergences(List<NDArray> taps) {
        NDList profile = new NDList(taps.size() - 1);
        for (int k = 1; k < taps.size(); k++) {
            profile.add(divergence(taps.get(k - 1), taps.get(k)));
        }
        return profile;
    }

    /**
     * Fails early when this metric cannot compare two adjacent taps of these per-sample shapes.
     * Called when a run is built, with shapes from a probe batch.
     *
     * @param previousName name of the earlier tap
     * @param previous its per-sample shape (no batch axis)
     * @param nextName name of the later tap
     * @param next its per-sample shape (no batch axis)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} naming both taps and
     *     shapes
     * @since 0.1
     */
    default void checkAdjacentTaps(String previousName, Shape previous, String nextName, Shape next) {}
}
