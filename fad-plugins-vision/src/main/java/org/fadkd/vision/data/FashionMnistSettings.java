package org.fadkd.vision.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of dataset {@code fashion-mnist}; documented in {@code defaults/fashion-mnist.conf}.
 *
 * @param root the directory holding the four files, searched first; empty when not set
 * @param normalize whether pixels are standardised with the training set's mean and deviation
 */
record FashionMnistSettings(Optional<Path> root, boolean normalize) {
    static FashionMnistSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "dataset", FashionMnistDatasetFactory.NAME);
        String root = reader.getString("root").strip();
        boolean normalize = reader.getBoolean("normalize");
        reader.throwIfInvalid();
        return new FashionMnistSettings(
                root.isEmpty() ? Optional.empty() : Optional.of(DataSearch.expandHome(root)),
                normalize);
    }
}
