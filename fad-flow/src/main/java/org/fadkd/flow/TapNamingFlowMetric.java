package org.fadkd.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.fadkd.api.FlowMetric;

/**
 * A flow metric that is told whose taps it profiles, so that what it reports about a tap (a
 * degenerate tap, fad-spec §2) names the network and the tap. {@link FlowProfiles#profile(FlowMetric,
 * List, ProfiledTaps)} calls it; a plain {@link FlowMetric} is called without the names.
 *
 * @since 0.1
 */
public interface TapNamingFlowMetric extends FlowMetric {
    /**
     * Computes a whole profile exactly as {@link FlowMetric#divergences(List)} does, gradients
     * included; {@code source} only changes what is logged.
     *
     * @param taps tap outputs {@code (B, …)} in execution order, float32 or float64, the same
     *     {@code B}, at least two, never null
     * @param source whose taps these are, never null
     * @return {@code taps.size() − 1} scalars, each attached to the first tap's manager
     * @since 0.1
     */
    NDList divergences(List<NDArray> taps, ProfiledTaps source);

    @Override
    default NDList divergences(List<NDArray> taps) {
        return divergences(taps, ProfiledTaps.unnamed());
    }
}
