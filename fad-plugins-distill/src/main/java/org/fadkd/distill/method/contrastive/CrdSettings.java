package org.fadkd.distill.method.contrastive;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code crd}.
 *
 * @param featureDim the width of the projection heads and memory rows, at least 1
 * @param negatives K, the negatives per sample of {@code objective = memory}, at least 1
 * @param temperature τ, &gt; 0
 * @param momentum η of the memory update {@code M ← l2n(η·M + (1 − η)·z)}, in {@code [0, 1]}
 * @param beta β, the weight of the contrastive term, at least 0
 * @param objective where the negatives come from
 * @param taskWeight the weight of {@code L_task} when crd trains alone, at least 0
 * @param kdWeight the weight of an added {@code D_kd} (T = 4), at least 0; 0 adds nothing
 * @since 0.1
 */
public record CrdSettings(
        int featureDim,
        int negatives,
        double temperature,
        double momentum,
        double beta,
        Objective objective,
        double taskWeight,
        double kdWeight) {

    /**
     * Where the negatives of a sample come from.
     *
     * @since 0.1
     */
    public enum Objective {
        /** K samples of other classes from memory banks, scored with NCE (RepDistiller, default). */
        MEMORY,
        /** The other samples of the batch, scored with a symmetric cross-entropy; no memory. */
        IN_BATCH
    }

    public CrdSettings {
        requireNonNull(objective, "objective is null");
    }

    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static CrdSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", CrdFactory.NAME);
        int featureDim = reader.getInt("feature-dim", 1, 65_536);
        int negatives = reader.getInt("negatives", 1, 1_000_000);
        double temperature = reader.getDouble("temperature", value -> value > 0, "(0, inf)");
        double momentum = reader.getDouble("momentum", value -> value >= 0 && value <= 1, "[0, 1]");
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        Objective objective = reader.getEnum("objective", Objective.class);
        double taskWeight = reader.getDouble("task-weight", value -> value >= 0, "[0, inf)");
        double kdWeight = reader.getDouble("kd-weight", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new CrdSettings(featureDim, negatives, temperature, momentum, beta, objective, taskWeight, kdWeight);
    }
}
