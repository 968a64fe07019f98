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
                root.isEmpty() ? Optional.empty() : Optional.of(expandHome(root)), normalize);
    }

    // HOCON values are not shell-expanded, yet "~/data" is what users write
    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
