package org.fadkd.vision.detection.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code centernet}; documented in {@code defaults/centernet.conf}.
 *
 * @param backbone the backbone's architecture section, with {@code type}
 * @param neckChannels output channels of every neck convolution
 * @param headChannels channels of each head's 3×3 convolution
 */
record CenterNetSettings(Config backbone, int neckChannels, int headChannels) {
    static CenterNetSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "architecture", CenterNetArchitectureFactory.NAME);
        Config backbone = reader.getComponentSection("backbone");
        reader.check(
                !backbone.hasPath("type") || !backbone.getString("type").equals(CenterNetArchitectureFactory.NAME),
                "backbone",
                "a classification architecture whose stages the detector reuses, not 'centernet' itself");
        int neckChannels = reader.getInt("neck-channels", 1, Integer.MAX_VALUE);
        int headChannels = reader.getInt("head-channels", 1, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new CenterNetSettings(backbone, neckChannels, headChannels);
    }
}
