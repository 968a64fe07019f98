package org.fadkd.distill.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.TapNamingFlowMetric;
import org.fadkd.distill.flow.TapMatrices.NormedGram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code D = 1 − CKA(X, Y)} with linear CKA on centred Gram matrices (fad-spec §2), the biased
 * minibatch estimator: {@code CKA = ⟨K̃, L̃⟩ / (‖K̃‖·‖L̃‖)} with {@code K̃ = X̃X̃ᵀ} for the
 * column-centred {@code X̃} (equal to {@code H·XXᵀ·H}).
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

    private static NDArray oneMinusCka(NormedGram previous, NormedGram next) {
        NDArray cka = previous.gram().mul(next.gram()).sum().div(previous.norm().mul(next.norm()));
        // Rounding can put CKA a hair above 1; a negative D would break ln(s + ε) downstream.
        return cka.neg().add(1).clip(0, 1);
    }

    private static NDArray centredGram(NDArray tap) {
        NDArray flat = TapMatrices.flatten(tap);
        NDArray centred = flat.sub(flat.mean(new int[] {0}, true));
        return centred.matMul(centred.transpose());
    }
}
