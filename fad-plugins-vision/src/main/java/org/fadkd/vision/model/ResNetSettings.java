package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

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
                new SettingsReader(settings, "architecture", ResNetArchitectureFactory.NAME);
        int stemChannels = reader.getInt("stem-channels", 1, Integer.MAX_VALUE);
        List<Integer> widths = reader.getIntList("widths");
        List<Integer> strides = reader.getIntList("strides");
        int blocksPerStage = reader.getInt("blocks-per-stage", 1, Integer.MAX_VALUE);
        StageChecks.checkWidths(reader, widths, "stage");
        StageChecks.checkStrides(reader, strides, widths, "stage");
        reader.throwIfInvalid();
        return new ResNetSettings(stemChannels, widths, strides, blocksPerStage);
    }
}
