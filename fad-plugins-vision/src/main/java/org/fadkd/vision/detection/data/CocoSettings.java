package org.fadkd.vision.detection.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of dataset {@code coco}; documented in {@code defaults/coco.conf}. Paths are relative to
 * the root unless absolute.
 */
record CocoSettings(Optional<Path> root, String trainAnnotations, String trainImages,
        String validationAnnotations, String validationImages, String testAnnotations, String testImages,
        DetectionInputSettings input) {
    static CocoSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", CocoDatasetFactory.NAME);
        String root = reader.getString("root");
        String trainAnnotations = required(reader, "train-annotations");
        String trainImages = required(reader, "train-images");
        String validationAnnotations = reader.getString("validation-annotations").strip();
        String validationImages = reader.getString("validation-images").strip();
        reader.check(validationAnnotations.isEmpty() == validationImages.isEmpty(), "validation-images",
                "set together with validation-annotations (both empty: no validation split of its own)");
        String testAnnotations = required(reader, "test-annotations");
        String testImages = required(reader, "test-images");
        DetectionInputSettings input = DetectionInputSettings.from(settings, reader);
        reader.throwIfInvalid();
        return new CocoSettings(DataRoot.setting(root), trainAnnotations, trainImages, validationAnnotations,
                validationImages, testAnnotations, testImages, input);
    }

    private static String required(SettingsReader reader, String key) {
        String value = reader.getString(key).strip();
        reader.check(!value.isEmpty(), key, "a path, relative to root or absolute");
        return value;
    }
}
