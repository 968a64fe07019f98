package org.fadkd.distill.method;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code dkd}.
 *
 * @param temperature the softmax temperature {@code T > 0}
 * @param alpha the weight α of TCKD, at least 0
 * @param beta the weight β of NCKD, at least 0
 * @param warmupEpochs the warm-up {@code W}: {@code D_dkd} is scaled by {@code min(epoch/W, 1)};
 *     0 for no warm-up
 * @param taskWeight the weight of {@code L_task} when dkd trains alone, at least 0
 * @since 0.1
 */
public record DkdSettings(double temperature, double alpha, double beta, int warmupEpochs, double taskWeight) {
    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static DkdSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", DkdFactory.NAME);
        double temperature = reader.getDouble("temperature", value -> value > 0, "(0, inf)");
        double alpha = reader.getDouble("alpha", value -> value >= 0, "[0, inf)");
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        int warmupEpochs = reader.getInt("warmup-epochs", 0, 1_000_000);
        double taskWeight = reader.getDouble("task-weight", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new DkdSettings(temperature, alpha, beta, warmupEpochs, taskWeight);
    }

    /**
     * Returns the warm-up factor {@code min(epoch/W, 1)} of a 1-based epoch; 1 without warm-up.
     *
     * @param epoch the 1-based epoch
     * @return the factor, in {@code (0, 1]}
     * @since 0.1
     */
    public double warmupFactor(int epoch) {
        return warmupEpochs == 0 ? 1.0 : Math.min((double) epoch / warmupEpochs, 1.0);
    }
}
