package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code mobilenet-v2}; documented in {@code defaults/mobilenet-v2.conf}.
 *
 * @param width the width multiplier applied to every layer's channels
 */
record MobileNetV2Settings(double width) {
    static MobileNetV2Settings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", MobileNetV2ArchitectureFactory.NAME);
        double width = reader.getDouble("width", value -> value > 0, "(0, inf)");
        reader.throwIfInvalid();
        return new MobileNetV2Settings(width);
    }
}
