package org.fadkd.nlp.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Settings of dataset {@code glue}; documented in {@code defaults/glue.conf}.
 *
 * @param root the directory holding the task's folder ({@code glue_data}) or its files, the only
 *     place looked at when set
 * @param task which GLUE task
 * @param mismatched for MNLI, whether the test split is {@code dev_mismatched.tsv} rather than
 *     {@code dev_matched.tsv}
 * @param text max-length, limit and tokenizer
 */
record GlueSettings(Optional<Path> root, GlueTask task, boolean mismatched, TextSettings text) {
    static GlueSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", GlueDatasetFactory.NAME);
        String root = reader.getString("root");
        GlueTask task = reader.getEnum("task", GlueTask.class);
        String mnliDev = reader.getString("mnli-dev");
        reader.check(List.of("matched", "mismatched").contains(mnliDev), "mnli-dev", "matched or mismatched");
        TextSettings text = TextSettings.read(reader);
        reader.throwIfInvalid();
        return new GlueSettings(DataDirectories.root(root), task, mnliDev.equals("mismatched"), text);
    }

    /** The labelled files this task reads: the training file and the one that is the test split. */
    List<String> files() {
        return List.of(GlueTask.TRAIN_FILE, task.getTestFile(mismatched));
    }
}
