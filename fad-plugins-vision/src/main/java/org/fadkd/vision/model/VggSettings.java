package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code vgg}; documented in {@code defaults/vgg.conf}.
 *
 * @param widths output channels of every convolution of each stage
 * @param convolutionsPerStage 3×3 convolutions in every stage, before its pooling
 */
record VggSettings(List<Integer> widths, int convolutionsPerStage) {
    VggSettings {
        widths = List.copyOf(widths);
    }

    static VggSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", VggArchitectureFactory.NAME);
        List<Integer> widths = reader.getIntList("widths");
        int convolutionsPerStage = reader.getInt("convolutions-per-stage", 1, Integer.MAX_VALUE);
        StageChecks.checkWidths(reader, widths, "stage");
        reader.throwIfInvalid();
        return new VggSettings(widths, convolutionsPerStage);
    }
}
