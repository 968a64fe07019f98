package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of dataset {@code spam-assassin}; documented in {@code defaults/spam-assassin.conf}.
 *
 * @param root the directory holding {@code data/<group>/}, the only place looked at when set
 * @param text max-length, limit and tokenizer
 * @param split the validation and test fractions
 */
record SpamAssassinSettings(Optional<Path> root, TextSettings text, HashSplit split) {
    static SpamAssassinSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "dataset", SpamAssassinDatasetFactory.NAME);
        String root = reader.getString("root");
        TextSettings text = TextSettings.read(reader);
        HashSplit split = TextSettings.readSplit(reader);
        reader.throwIfInvalid();
        return new SpamAssassinSettings(DataDirectories.root(root), text, split);
    }
}
