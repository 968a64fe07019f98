package org.fadkd.vision.detection.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Settings of dataset {@code voc}; documented in {@code defaults/voc.conf}. */
record VocSettings(Optional<Path> root, String trainSplit, String validationSplit, String testSplit,
        List<String> classes, DetectionInputSettings input) {
    static VocSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", VocDatasetFactory.NAME);
        String root = reader.getString("root");
        String trainSplit = split(reader, "train-split", false);
        String validationSplit = split(reader, "validation-split", true);
        String testSplit = split(reader, "test-split", false);
        List<String> classes = classes(settings);
        reader.check(classes != null && !classes.isEmpty() && new HashSet<>(classes).size() == classes.size()
                && classes.stream().noneMatch(String::isBlank), "classes",
                "a non-empty list of distinct class names, as the annotations' <name>s spell them");
        DetectionInputSettings input = DetectionInputSettings.from(settings, reader);
        reader.throwIfInvalid();
        return new VocSettings(DataRoot.setting(root), trainSplit, validationSplit, testSplit,
                classes == null ? List.of() : List.copyOf(classes), input);
    }

    private static String split(SettingsReader reader, String key, boolean optional) {
        String value = reader.getString(key).strip();
        reader.check((optional || !value.isEmpty()) && !value.contains("/") && !value.contains("\\"), key,
                "the name of a list in ImageSets/Main/ without '.txt'" + (optional ? ", or empty" : ""));
        return value;
    }

    private static List<String> classes(Config settings) {
        try {
            return settings.getStringList("classes");
        } catch (ConfigException e) {
            return null;
        }
    }
}
