package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code cifar-resnet}; documented in {@code defaults/cifar-resnet.conf}.
 *
 * @param depth weight layers, {@code 6n + 2} for {@code n} basic blocks per stage
 * @param widths the stem's output channels, then each of the three stages' widths
 */
record CifarResNetSettings(int depth, List<Integer> widths) {
    /** The stem and three stages. */
    static final int WIDTHS = 4;

    CifarResNetSettings {
        widths = List.copyOf(widths);
    }

    static CifarResNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", CifarResNetArchitectureFactory.NAME);
        int depth = reader.getInt("depth", 8, Integer.MAX_VALUE);
        List<Integer> widths = reader.getIntList("widths");
        reader.check(
                (depth - 2) % 6 == 0, "depth", "6n + 2 for n blocks per stage: 8, 14, 20, ...");
        reader.check(
                widths.size() == WIDTHS && widths.stream().allMatch(width -> width >= 1),
                "widths",
                "a list of 4 widths (the stem's, then the three stages'), each at least 1");
        reader.throwIfInvalid();
        return new CifarResNetSettings(depth, widths);
    }

    /** Basic blocks per stage: each has two convolutions; the stem and classifier add two. */
    int blocksPerStage() {
        return (depth - 2) / 6;
    }
}
