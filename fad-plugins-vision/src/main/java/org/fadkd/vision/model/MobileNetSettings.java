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
        reader.check(!widths.isEmpty(), "widths", "a list with at least one block");
        reader.check(
                widths.stream().allMatch(width -> width >= 1),
                "widths",
                "a list of widths, each at least 1");
        // an empty 'widths' is reported above; comparing against it would only add noise
        reader.check(
                widths.isEmpty() || strides.size() == widths.size(),
                "strides",
                "a list with one stride per block, as many as 'widths' " + widths + " has");
        reader.check(
                strides.stream().allMatch(stride -> stride == 1 || stride == 2),
                "strides",
                "a list of strides, each 1 or 2");
        reader.throwIfInvalid();
        return new MobileNetSettings(stemChannels, widths, strides);
    }
}
