package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code fitnets} (fad-spec §11.3).
 *
 * @param common the settings of every feature method, never null
 * @param beta the factor β of the hint loss, {@code >= 0}
 * @param regressorRelu whether the regressor ends in a ReLU (RepDistiller's ConvReg does)
 * @since 0.1
 */
public record FitnetsSettings(FeatureSettings common, double beta, boolean regressorRelu) {
    public FitnetsSettings {
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
    public static FitnetsSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", FitnetsFactory.NAME);
        FeatureSettings common = FeatureSettings.read(reader, config);
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        boolean regressorRelu = reader.getBoolean("regressor-relu");
        reader.throwIfInvalid();
        return new FitnetsSettings(common, beta, regressorRelu);
    }
}
