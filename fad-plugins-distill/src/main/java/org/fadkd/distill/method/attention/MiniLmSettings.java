package org.fadkd.distill.method.attention;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code minilm}.
 *
 * @param tap the name of the attention tap, the same in teacher and student, never blank
 * @param heads how teacher and student heads are compared
 * @param beta the factor β of the attention term, {@code >= 0}
 * @param taskWeight the weight of {@code L_task} when the method trains alone, {@code >= 0}
 * @param kdWeight the weight of an added {@code D_kd} (T = 4) when the method trains alone, {@code
 *     >= 0}; 0 leaves it out (and the teacher's logits are not needed)
 * @since 0.2
 */
public record MiniLmSettings(String tap, Heads heads, double beta, double taskWeight, double kdWeight) {
    public MiniLmSettings {
        requireNonNull(tap, "tap is null");
        requireNonNull(heads, "heads is null");
    }

    /**
     * How the heads of the two attention taps are paired.
     *
     * @since 0.2
     */
    public enum Heads {
        /** Head {@code a} of the student with head {@code a} of the teacher (MiniLM); the counts must be equal. */
        MATCH,
        /**
         * Each model's distributions are first averaged over its heads (a mean of distributions is
         * one), then compared as one head: any head counts.
         */
        AVERAGE
    }

    /**
     * Reads and checks the settings.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.2
     */
    public static MiniLmSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", MiniLmFactory.NAME);
        String tap = reader.getString("tap");
        reader.check(!tap.isBlank(), "tap", "the name of a tap both models declare");
        Heads heads = reader.getEnum("heads", Heads.class);
        double beta = reader.getDouble("beta", value -> value >= 0, "[0, inf)");
        double taskWeight = reader.getDouble("task-weight", value -> value >= 0, "[0, inf)");
        double kdWeight = reader.getDouble("kd-weight", value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new MiniLmSettings(tap, heads, beta, taskWeight, kdWeight);
    }
}
