package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code at} (fad-spec §11.4).
 *
 * @param common the settings of every feature method, never null
 * @param p the exponent of the attention map {@code mean_c |F_c|^p}, {@code > 0}
 * @param beta the factor β, {@code >= 0}
 * @since 0.1
 */
public record AttentionTransferSettings(FeatureSettings common, double p, double beta) {
    public AttentionTransferSettings {
        requireNonNull(common, "common is null");
    }

    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static AttentionTransferSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", AttentionTransferFactory.NAME);
        FeatureSettings common = FeatureSettings.read(reader, config);
        double p = reader.getDouble("p", value -> value > 0, "(0, inf)");
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new AttentionTransferSettings(common, p, beta);
    }
}
