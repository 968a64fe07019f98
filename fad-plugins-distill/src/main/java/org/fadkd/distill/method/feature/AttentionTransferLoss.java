package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;
import org.fadkd.flow.Scalars;

/**
 * Attention transfer, RepDistiller's form (fad-spec §11.4): over all pairs, after the
 * shape-matching rule,
 * {@code D_at = β·Σ_pairs mean_{b,hw}(q(F_S) − q(F_T))²} with {@code q(F)_b = v_b/max(‖v_b‖,
 * 1e-12)} and {@code v_b = vec(mean_c |F_bc|^p)}. Every pair must be feature maps; channel counts
 * may differ. No extra modules.
 *
 * @since 0.1
 */
public final class AttentionTransferLoss extends FeatureLoss {
    /** The floor of the norm in {@code q}, as {@code F.normalize}'s. */
    private static final double NORM_FLOOR = 1e-12;

    private final AttentionTransferSettings settings;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public AttentionTransferLoss(AttentionTransferSettings settings) {
        super(AttentionTransferFactory.NAME, requireNonNull(settings, "settings is null").common());
        this.settings = settings;
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public AttentionTransferSettings getSettings() {
        return settings;
    }

    @Override
    protected List<TapPair> build(MethodSetup setup, List<TapPair> pairs) {
        for (TapPair pair : pairs) {
            FeaturePairing.requireFeatureMaps(name(), setup, pair);
        }
        return pairs;
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray sum = null;
        for (TapPair pair : preparedPairs()) {
            NDArray[] taps = matchedTaps(batch, pair);
            NDArray value = pairValue(taps[0], taps[1], settings.p());
            sum = sum == null ? value : sum.add(value);
        }
        return Scalars.mul(sum, settings.beta());
    }

    /**
     * Computes one pair's {@code mean_{b,hw}(q(F_S) − q(F_T))²}, without β.
     *
     * @param student {@code F_S (B, C_S, H, W)}, never null
     * @param teacher {@code F_T (B, C_T, H, W)}, never null
     * @param p the exponent
     * @return a scalar on the student's manager
     * @since 0.1
     */
    public static NDArray pairValue(NDArray student, NDArray teacher, double p) {
        return attention(student, p).sub(attention(teacher, p)).square().mean();
    }

    /**
     * Computes the normalised attention map {@code q(F)}.
     *
     * @param features {@code F (B, C, H, W)}, never null
     * @param p the exponent
     * @return {@code (B, H·W)} rows of unit norm (zero rows stay zero), on the features' manager
     * @since 0.1
     */
    public static NDArray attention(NDArray features, double p) {
        long batchSize = features.getShape().get(0);
        NDArray map = Scalars.pow(features.abs(), p).mean(new int[] {1}).reshape(batchSize, -1);
        NDArray norm = Scalars.maximum(map.norm(new int[] {1}, true), NORM_FLOOR);
        return map.div(norm);
    }
}
