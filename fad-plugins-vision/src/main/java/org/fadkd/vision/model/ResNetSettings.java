package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.vision.config.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code resnet}; documented in {@code defaults/resnet.conf}.
 *
 * @param stemChannels output channels of the stem convolution
 * @param widths output channels of each stage
 * @param strides stride of each stage's first block
 * @param blocksPerStage residual blocks in every stage
 */
record ResNetSettings(
        int stemChannels, List<Integer> widths, List<Integer> strides, int blocksPerStage) {
    ResNetSettings {
        widths = List.copyOf(widths);
        strides = List.copyOf(strides);
    }

    static ResNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(
                        settings, "architecture '" + ResNetArchitectureFactory.NAME + "'");
        int stemChannels = reader.getInt("stem-channels");
        List<Integer> widths = reader.getIntList("widths");
        List<Integer> strides = reader.getIntList("strides");
        int blocksPerStage = reader.getInt("blocks-per-stage");
        reader.throwIfInvalid();
        reader.check(stemChannels >= 1, "stem-channels", stemChannels, "it must be at least 1");
        reader.check(!widths.isEmpty(), "widths", widths, "at least one stage is needed");
        reader.check(
                widths.stream().allMatch(width -> width >= 1),
                "widths",
                widths,
                "every width must be at least 1");
        reader.check(
                strides.size() == widths.size(),
                "strides",
                strides,
                "it needs one stride per stage, as many as 'widths' " + widths + " has");
        reader.check(
                strides.stream().allMatch(stride -> stride == 1 || stride == 2),
                "strides",
                strides,
                "every stride must be 1 or 2");
        reader.check(
                blocksPerStage >= 1, "blocks-per-stage", blocksPerStage, "it must be at least 1");
        reader.throwIfInvalid();
        return new ResNetSettings(stemChannels, widths, strides, blocksPerStage);
    }
}
