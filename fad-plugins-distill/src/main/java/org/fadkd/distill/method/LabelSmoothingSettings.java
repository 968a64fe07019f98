package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code label-smoothing}.
 *
 * @param epsilon the smoothing ε, in {@code [0, 1]}: the target is {@code (1 − ε)·onehot(y) + ε/C}
 * @since 0.1
 */
public record LabelSmoothingSettings(double epsilon) {
    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID naming the key, the value and the range
     * @since 0.1
     */
    public static LabelSmoothingSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", LabelSmoothingFactory.NAME);
        double epsilon = reader.getDouble("epsilon", value -> value >= 0 && value <= 1, "[0, 1]");
        reader.throwIfInvalid();
        return new LabelSmoothingSettings(epsilon);
    }
}
