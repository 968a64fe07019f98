package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.function.Consumer;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.TapNamingFlowMetric;
import org.fadkd.distill.flow.TapMatrices.NormedGram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.fadkd.flow.Scalars;

/**
 * {@code D = ‖G_next − G_prev‖ / (‖G_next‖ + ε)} on uncentred, norm-scaled batch Gram matrices
 * {@code G = XXᵀ/‖XXᵀ‖} (fad-spec §2): invariant to each tap's scale, sensitive to a common
 * offset, {@code D ∈ [0, √2]}.
 *
 * @since 0.1
 */
public final class GramFlowMetric implements TapNamingFlowMetric {
    private static final Logger LOG = LoggerFactory.getLogger(GramFlowMetric.class);

    private final GramSettings settings;
    private final DegenerateTaps degenerateTaps;

    /**
     * Creates the metric.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public GramFlowMetric(GramSettings settings) {
        this(settings, LOG::warn);
    }

    /** For tests: warnings go to {@code warnings} instead of the log. */
    GramFlowMetric(GramSettings settings, Consumer<String> warnings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.degenerateTaps = new DegenerateTaps(GramFactory.NAME, warnings);
    }

    @Override
    public NDArray divergence(NDArray previous, NDArray next) {
        return divergences(List.of(previous, next)).singletonOrThrow();
    }

    /** Each tap's Gram matrix once, shared by the two pairs an inner tap belongs to. */
    @Override
    public NDList divergences(List<NDArray> taps, ProfiledTaps source) {
        TapMatrices.requireProfileTaps(GramFactory.NAME, taps);
        return TapMatrices.profile(taps, source, GramFlowMetric::gram, this::scaledDistance,
                degenerateTaps);
    }

    private NDArray scaledDistance(NormedGram previous, NormedGram next) {
        NDArray previousScaled = previous.gram().div(previous.norm());
        NDArray nextScaled = next.gram().div(next.norm());
        return TapMatrices.guardedNorm(nextScaled.sub(previousScaled))
                .div(Scalars.add(TapMatrices.norm(nextScaled), settings.epsilon()));
    }

    private static NDArray gram(NDArray tap) {
        NDArray flat = TapMatrices.flatten(tap);
        return flat.matMul(flat.transpose());
    }
}
