package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code kd}.
 *
 * @param temperature the softmax temperature {@code T > 0}
 * @param alpha the weight α of {@code D_kd} when kd trains alone, in {@code [0, 1]}
 * @param heatmapTemperature the temperature {@code T > 0} of the per-location Bernoulli form used
 *     between detectors (fad-spec §12, {@link HeatmapKd}); since 0.2
 * @since 0.1
 */
public record KdSettings(double temperature, double alpha, double heatmapTemperature) {
    /** fad-spec §12's default temperature for detection heatmaps. */
    static final double DEFAULT_HEATMAP_TEMPERATURE = 1;

    /**
     * Settings with the default heatmap temperature, 1.
     *
     * @param temperature the softmax temperature {@code T > 0}
     * @param alpha the weight α of {@code D_kd} when kd trains alone, in {@code [0, 1]}
     * @since 0.1
     */
    public KdSettings(double temperature, double alpha) {
        this(temperature, alpha, DEFAULT_HEATMAP_TEMPERATURE);
    }

    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static KdSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", KdFactory.NAME);
        double temperature = reader.getDouble("temperature", value -> value > 0, "(0, inf)");
        double alpha = reader.getDouble("alpha", value -> value >= 0 && value <= 1, "[0, 1]");
        double heatmapTemperature = reader.getDouble("heatmap-temperature", value -> value > 0, "(0, inf)");
        reader.throwIfInvalid();
        return new KdSettings(temperature, alpha, heatmapTemperature);
    }
}
