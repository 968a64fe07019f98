package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code mobilenet-v3}; documented in {@code defaults/mobilenet-v3.conf}.
 *
 * @param size which of the two published networks
 * @param width the width multiplier applied to every layer's channels
 */
record MobileNetV3Settings(Size size, double width) {
    /** The two networks of Howard et al. 2019. */
    enum Size {
        LARGE,
        SMALL
    }

    static MobileNetV3Settings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", MobileNetV3ArchitectureFactory.NAME);
        Size size = reader.getEnum("size", Size.class);
        double width = reader.getDouble("width", value -> value > 0, "(0, inf)");
        reader.throwIfInvalid();
        return new MobileNetV3Settings(size, width);
    }
}
