package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code mobilenet}; documented in {@code defaults/mobilenet.conf}.
 *
 * @param stemChannels output channels of the stem convolution
 * @param widths output channels of each depthwise-separable block
 * @param strides stride of each block's depthwise convolution
 */
record MobileNetSettings(int stemChannels, List<Integer> widths, List<Integer> strides) {
    MobileNetSettings {
        widths = List.copyOf(widths);
        strides = List.copyOf(strides);
    }

    static MobileNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", MobileNetArchitectureFactory.NAME);
        int stemChannels = reader.getInt("stem-channels", 1, Integer.MAX_VALUE);
        List<Integer> widths = reader.getIntList("widths");
        List<Integer> strides = reader.getIntList("strides");
        StageChecks.checkWidths(reader, widths, "block");
        StageChecks.checkStrides(reader, strides, widths, "block");
        reader.throwIfInvalid();
        return new MobileNetSettings(stemChannels, widths, strides);
    }
}
