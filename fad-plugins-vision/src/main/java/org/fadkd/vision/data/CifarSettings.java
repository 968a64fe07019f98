package org.fadkd.vision.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings of datasets {@code cifar10} and {@code cifar100}; documented in {@code
 * defaults/cifar10.conf} and {@code defaults/cifar100.conf}.
 *
 * @param root the directory holding the binary files (or the archive's folder), the only place
 *     looked at when set; empty when not set
 * @param normalize whether pixels are standardised per channel
 * @param labels which label is the class ({@code label = fine | coarse} for CIFAR-100; always
 *     {@link CifarLabels#SINGLE} for CIFAR-10)
 */
record CifarSettings(Optional<Path> root, boolean normalize, CifarLabels labels) {
    static CifarSettings from(Config settings, CifarVariant variant) {
        SettingsReader reader = new SettingsReader(settings, "dataset", variant.getName());
        String root = reader.getString("root").strip();
        boolean normalize = reader.getBoolean("normalize");
        CifarLabels labels = CifarLabels.SINGLE;
        if (variant == CifarVariant.CIFAR100) {
            String label = reader.getString("label").toLowerCase(Locale.ROOT);
            reader.check(List.of("fine", "coarse").contains(label), "label", "fine or coarse");
            labels = label.equals("coarse") ? CifarLabels.COARSE : CifarLabels.FINE;
        }
        reader.throwIfInvalid();
        return new CifarSettings(
                root.isEmpty() ? Optional.empty() : Optional.of(DataSearch.expandHome(root)),
                normalize,
                labels);
    }
}
