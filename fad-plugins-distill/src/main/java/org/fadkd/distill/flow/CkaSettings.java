package org.fadkd.distill.flow;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of the {@code cka} flow metric.
 *
 * @param warnBelowBatchSize warn once when a batch has fewer samples (0 never warns)
 * @since 0.1
 */
public record CkaSettings(int warnBelowBatchSize) {
    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static CkaSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "flow metric", CkaFactory.NAME);
        int warnBelowBatchSize = reader.getInt("warn-below-batch-size", 0, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new CkaSettings(warnBelowBatchSize);
    }
}
