package org.fadkd.distill.flow;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of the {@code relative-change} flow metric.
 *
 * @param epsilon the ε added to the denominator's norm
 * @since 0.1
 */
public record RelativeChangeSettings(double epsilon) {
    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static RelativeChangeSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "flow metric", RelativeChangeFactory.NAME);
        double epsilon = reader.getDouble("epsilon", value -> value > 0 && value < 1, "(0, 1)");
        reader.throwIfInvalid();
        return new RelativeChangeSettings(epsilon);
    }
}
