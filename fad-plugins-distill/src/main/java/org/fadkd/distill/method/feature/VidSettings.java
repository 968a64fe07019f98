package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code vid} (fad-spec §11.6).
 *
 * @param common the settings of every feature method, never null
 * @param initialVariance the variance {@code σ²_c} every channel starts at, {@code > epsilon}
 * @param epsilon the floor ε added to {@code softplus(v_c)}, {@code > 0}
 * @param beta the factor β, {@code >= 0}
 * @since 0.1
 */
public record VidSettings(FeatureSettings common, double initialVariance, double epsilon, double beta) {
    public VidSettings {
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
    public static VidSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", VidFactory.NAME);
        FeatureSettings common = FeatureSettings.read(reader, config);
        double initialVariance = reader.getDouble("initial-variance", value -> value > 0, "(0, inf)");
        double epsilon = reader.getDouble("epsilon", value -> value > 0, "(0, inf)");
        // σ² = softplus(v) + ε > ε: a smaller start has no v.
        reader.check(initialVariance > epsilon, "initial-variance", "greater than epsilon (" + epsilon + ")");
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new VidSettings(common, initialVariance, epsilon, beta);
    }

    /**
     * Returns {@code v_c} at the start: {@code ln(exp(initial-variance − ε) − 1)}, 4.993229183 by
     * default.
     *
     * @return the initial parameter value
     * @since 0.1
     */
    public double initialParameter() {
        return ChannelVariance.inverseSoftplus(initialVariance, epsilon);
    }
}
