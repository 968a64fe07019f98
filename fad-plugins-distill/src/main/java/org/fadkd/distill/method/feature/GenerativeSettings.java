package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.function.DoublePredicate;
import org.fadkd.api.SettingsReader;

/**
 * Settings of method {@code generative}, MGD (fad-spec §11.7).
 *
 * @param common the settings of every feature method, never null
 * @param mask what the random mask drops, never null
 * @param maskRatio the probability λ that a mask entry is 0, in {@code [0, 1]}
 * @param alpha the factor {@code α_mgd}, {@code >= 0}
 * @since 0.1
 */
public record GenerativeSettings(FeatureSettings common, Mask mask, double maskRatio, double alpha) {
    /** The value of {@code mask-ratio} and {@code alpha} that means "the mask's default". */
    public static final String AUTO = "auto";

    public GenerativeSettings {
        requireNonNull(common, "common is null");
        requireNonNull(mask, "mask is null");
    }

    /**
     * What MGD's random mask drops, with the official defaults for it.
     *
     * @since 0.1
     */
    public enum Mask {
        /** Whole channels of a sample ({@code Mk_bc}, broadcast over H, W): the classification setting. */
        CHANNEL(0.15, 7e-5),
        /** Whole positions of a sample ({@code Mk_bhw}, broadcast over C): the detection setting. */
        SPATIAL(0.65, 2e-5);

        private final double defaultRatio;
        private final double defaultAlpha;

        Mask(double defaultRatio, double defaultAlpha) {
            this.defaultRatio = defaultRatio;
            this.defaultAlpha = defaultAlpha;
        }

        /**
         * Returns λ when {@code mask-ratio = auto}.
         *
         * @return the default ratio
         * @since 0.1
         */
        public double defaultRatio() {
            return defaultRatio;
        }

        /**
         * Returns {@code α_mgd} when {@code alpha = auto}.
         *
         * @return the default factor
         * @since 0.1
         */
        public double defaultAlpha() {
            return defaultAlpha;
        }
    }

    /**
     * Reads and checks the settings; {@code auto} for {@code mask-ratio} or {@code alpha} takes the
     * mask's default.
     *
     * @param config the settings merged over the defaults, never null
     * @return the settings
     * @throws org.fadkd.api.FadException with CONFIG_INVALID listing every bad value
     * @since 0.1
     */
    public static GenerativeSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config, "method", GenerativeFactory.NAME);
        FeatureSettings common = FeatureSettings.read(reader, config);
        Mask mask = reader.getEnum("mask", Mask.class);
        double maskRatio = autoOrNumber(reader, "mask-ratio", mask.defaultRatio(),
                value -> value >= 0 && value <= 1, "[0, 1]");
        double alpha = autoOrNumber(reader, "alpha", mask.defaultAlpha(), value -> value >= 0, "[0, inf)");
        reader.throwIfInvalid();
        return new GenerativeSettings(common, mask, maskRatio, alpha);
    }

    private static double autoOrNumber(
            SettingsReader reader, String key, double auto, DoublePredicate allowed, String range) {
        String text = reader.getString(key);
        if (text.equals(AUTO)) {
            return auto;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        reader.check(Double.isFinite(value) && allowed.test(value), key, AUTO + " or a number in " + range);
        return value;
    }
}
