package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of dataset {@code sotu}; documented in {@code defaults/sotu.conf}.
 *
 * @param root the directory holding {@code data/*.json}, the only place looked at when set
 * @param text max-length, limit and tokenizer
 * @param split the validation and test fractions, over addresses
 * @param passageWords the most words of a passage (unless one sentence is longer)
 */
record SotuSettings(Optional<Path> root, TextSettings text, HashSplit split, int passageWords) {
    static SotuSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", SotuDatasetFactory.NAME);
        String root = reader.getString("root");
        TextSettings text = TextSettings.read(reader);
        HashSplit split = TextSettings.readSplit(reader);
        int passageWords = reader.getInt("passage-words", 1, 100_000);
        reader.throwIfInvalid();
        return new SotuSettings(DataDirectories.root(root), text, split, passageWords);
    }
}
