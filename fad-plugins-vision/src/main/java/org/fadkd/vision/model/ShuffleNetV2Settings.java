package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;
import java.util.Map;

/**
 * Settings of architecture {@code shufflenet-v2}; documented in {@code
 * defaults/shufflenet-v2.conf}.
 *
 * @param multiplier the published width multiplier: 0.5, 1.0, 1.5 or 2.0
 */
record ShuffleNetV2Settings(double multiplier) {
    /**
     * torchvision's output channels per multiplier: the stem, the three stages and conv5. The
     * widths are a table, not a formula (x2.0's conv5 doubles), so only these four exist.
     */
    static final Map<Double, List<Integer>> CHANNELS =
            Map.of(
                    0.5, List.of(24, 48, 96, 192, 1024),
                    1.0, List.of(24, 116, 232, 464, 1024),
                    1.5, List.of(24, 176, 352, 704, 1024),
                    2.0, List.of(24, 244, 488, 976, 2048));

    static ShuffleNetV2Settings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", ShuffleNetV2ArchitectureFactory.NAME);
        double multiplier =
                reader.getDouble("multiplier", CHANNELS::containsKey, "{0.5, 1.0, 1.5, 2.0}");
        reader.throwIfInvalid();
        return new ShuffleNetV2Settings(multiplier);
    }

    /** The output channels of the stem, the three stages and conv5. */
    List<Integer> channels() {
        return CHANNELS.get(multiplier);
    }
}
