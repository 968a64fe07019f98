package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code mlp}; documented in {@code defaults/mlp.conf}.
 *
 * @param hidden units of each hidden layer
 * @param batchNorm whether each hidden layer is followed by batch norm
 */
record MlpSettings(List<Integer> hidden, boolean batchNorm) {
    MlpSettings {
        hidden = List.copyOf(hidden);
    }

    static MlpSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture", MlpArchitectureFactory.NAME);
        List<Integer> hidden = reader.getIntList("hidden");
        boolean batchNorm = reader.getBoolean("batch-norm");
        reader.check(!hidden.isEmpty(), "hidden", "a list with at least one hidden layer");
        reader.check(
                hidden.stream().allMatch(units -> units >= 1),
                "hidden",
                "a list of layer sizes, each at least 1");
        reader.throwIfInvalid();
        return new MlpSettings(hidden, batchNorm);
    }
}
