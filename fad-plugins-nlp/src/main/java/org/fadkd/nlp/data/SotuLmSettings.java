package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of dataset {@code sotu-lm}; documented in {@code defaults/sotu-lm.conf}.
 *
 * @param root the directory holding {@code sotu/} and {@code moby-dick/}, the only place looked at
 *     when set
 * @param text max-length (the window length), limit (windows per split) and tokenizer
 * @param validationFraction the share of addresses in validation, in (0, 1)
 * @param minCount the fewest occurrences in the training windows that keep a token out of the
 *     unknown id
 */
record SotuLmSettings(Optional<Path> root, TextSettings text, double validationFraction, int minCount) {
    static SotuLmSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", SotuLmDatasetFactory.NAME);
        String root = reader.getString("root");
        TextSettings text = TextSettings.read(reader);
        double validationFraction =
                reader.getDouble("validation-fraction", value -> value > 0 && value < 1, "(0, 1)");
        int minCount = reader.getInt("min-count", 1, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new SotuLmSettings(DataDirectories.root(root), text, validationFraction, minCount);
    }
}
