package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.Scalars;
import org.fadkd.flow.TapNamingFlowMetric;
import org.fadkd.distill.flow.TapMatrices.NormedGram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code D = 1 − CKA(X, Y)} with linear CKA on centred Gram matrices (fad-spec §2), the biased
 * minibatch estimator: {@code CKA = ⟨K̃, L̃⟩ / (‖K̃‖·‖L̃‖)} with {@code K̃ = X̃X̃ᵀ} for the
 * column-centred {@code X̃} (equal to {@code H·XXᵀ·H}), computed as {@code ½‖K̃/‖K̃‖ − L̃/‖L̃‖‖²}
 * without the cancellation of {@code 1 − CKA} near 1.
 *
 * @since 0.1
 */
public final class CkaFlowMetric implements TapNamingFlowMetric {
    private static final Logger LOG = LoggerFactory.getLogger(CkaFlowMetric.class);

    private final CkaSettings settings;
    private final AtomicBoolean smallBatchWarned = new AtomicBoolean();
    private final Consumer<String> warnings;
    private final DegenerateTaps degenerateTaps;

    /**
     * Creates the metric.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public CkaFlowMetric(CkaSettings settings) {
        this(settings, LOG::warn);
    }

    /** For tests: warnings go to {@code warnings} instead of the log. */
    CkaFlowMetric(CkaSettings settings, Consumer<String> warnings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
        this.degenerateTaps = new DegenerateTaps(CkaFactory.NAME, warnings);
    }

    @Override
    public NDArray divergence(NDArray previous, NDArray next) {
        return divergences(List.of(previous, next)).singletonOrThrow();
    }

    /** Each tap's centred Gram matrix once, shared by the two pairs an inner tap belongs to. */
    @Override
    public NDList divergences(List<NDArray> taps, ProfiledTaps source) {
        TapMatrices.requireProfileTaps(CkaFactory.NAME, taps);
        long batchSize = taps.get(0).getShape().get(0);
        if (batchSize < settings.warnBelowBatchSize() && smallBatchWarned.compareAndSet(false, true)) {
            // With B = 2 every centred Gram matrix has rank 1 and CKA is identically 1.
            warnings.accept(String.format("Flow metric 'cka' on a batch of %d samples: the minibatch estimator is"
                    + " biased and nearly flat below %d samples; use a batch size of 16 or more.",
                    batchSize, settings.warnBelowBatchSize()));
        }
        return TapMatrices.profile(taps, source, CkaFlowMetric::centredGram, CkaFlowMetric::oneMinusCka,
                degenerateTaps);
    }

    /**
     * {@code 1 − CKA = ½‖K̂ − L̂‖²} with {@code K̂ = K̃/‖K̃‖}, {@code L̂ = L̃/‖L̃‖}: both have unit
     * norm, so {@code ‖K̂ − L̂‖² = 2 − 2⟨K̂, L̂⟩ = 2 − 2·CKA} (fad-spec §2, the same value).
     *
     * <p>Why not {@code 1 − ⟨K̃, L̃⟩/(‖K̃‖‖L̃‖)}: near a block that maps its input tap to a scaled
     * or rotated copy (an identity block, a residual block whose branch is dead) CKA is 1 to within
     * float32 rounding, and {@code 1 − CKA} cancels to 0, ±1 ulp (6e-8): noise where the true flow
     * is 1e-9, and a value below 0 had to be clipped. There the flow loss's slope {@code ∂a/∂s ≈
     * −(t + ε)/(2(s + ε))} is up to {@code −t/(2ε) ≈ −5·10⁷·t} (fad-spec §3), and whether it reached
     * the student depended on the rounding: clipped from −1 ulp, the pair got no gradient at all;
     * at 0 or +1 ulp, 5·10⁷·t times {@code ∂(1 − CKA)/∂A}, which at CKA's maximum is 0 in exact
     * arithmetic and float32 rounding noise here. Rounding that differs between runs made it
     * intermittent. The squared difference has no cancellation (its relative error stays that of
     * {@code K̂ − L̂}), is ≥ 0 without a clip, and its gradient {@code K̂ − L̂} vanishes smoothly at
     * {@code D = 0}, so {@code |∂a/∂s|·|∂D/∂K̂| ≤ (t + ε)·√(2s)/(2(s + ε)) ≤ (t + ε)/(2√(2ε))}
     * whatever the rounding. It can exceed 1 by rounding when CKA ≈ 0, which is harmless.
     */
    private static NDArray oneMinusCka(NormedGram previous, NormedGram next) {
        NDArray difference = previous.gram().div(previous.norm()).sub(next.gram().div(next.norm()));
        return Scalars.mul(difference.square().sum(), 0.5);
    }

    private static NDArray centredGram(NDArray tap) {
        NDArray flat = TapMatrices.flatten(tap);
        NDArray centred = flat.sub(flat.mean(new int[] {0}, true));
        return centred.matMul(centred.transpose());
    }
}
