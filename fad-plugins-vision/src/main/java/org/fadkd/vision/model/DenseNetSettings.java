package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;
import java.util.Map;

/**
 * Settings of architecture {@code densenet}; documented in {@code defaults/densenet.conf}.
 *
 * @param depth the published depth: 121, 161, 169 or 201
 */
record DenseNetSettings(int depth) {
    /**
     * torchvision's configuration of one depth.
     *
     * @param growthRate channels each dense layer adds
     * @param blockLayers dense layers in each of the four blocks
     * @param stemChannels output channels of the stem convolution
     */
    record Configuration(int growthRate, List<Integer> blockLayers, int stemChannels) {}

    static final Map<Integer, Configuration> DEPTHS =
            Map.of(
                    121, new Configuration(32, List.of(6, 12, 24, 16), 64),
                    161, new Configuration(48, List.of(6, 12, 36, 24), 96),
                    169, new Configuration(32, List.of(6, 12, 32, 32), 64),
                    201, new Configuration(32, List.of(6, 12, 48, 32), 64));

    static DenseNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", DenseNetArchitectureFactory.NAME);
        int depth = reader.getInt("depth", 1, Integer.MAX_VALUE);
        reader.check(DEPTHS.containsKey(depth), "depth", "one of 121, 161, 169 or 201");
        reader.throwIfInvalid();
        return new DenseNetSettings(depth);
    }

    Configuration configuration() {
        return DEPTHS.get(depth);
    }
}
