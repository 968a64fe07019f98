package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of architecture {@code wide-resnet}; documented in {@code defaults/wide-resnet.conf}.
 *
 * @param depth weight layers, {@code 6n + 4} for {@code n} blocks per stage
 * @param widenFactor multiplies the stage widths 16, 32 and 64
 */
record WideResNetSettings(int depth, int widenFactor) {
    static WideResNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", WideResNetArchitectureFactory.NAME);
        int depth = reader.getInt("depth", 10, Integer.MAX_VALUE);
        int widenFactor = reader.getInt("widen-factor", 1, Integer.MAX_VALUE);
        reader.check(
                (depth - 4) % 6 == 0, "depth", "6n + 4 for n blocks per stage: 10, 16, 22, ...");
        reader.throwIfInvalid();
        return new WideResNetSettings(depth, widenFactor);
    }

    /**
     * Blocks in each stage: every block has two convolutions; the stem, the classifier and the
     * two projection shortcuts of stages 2 and 3 make the other four weight layers.
     */
    int blocksPerStage() {
        return (depth - 4) / 6;
    }
}
