package org.fadkd.vision.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.SettingsReader;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of architecture {@code torchscript}; documented in {@code defaults/torchscript.conf}.
 *
 * @param file the TorchScript file, absolute (relative paths are resolved against the working
 *     directory when read)
 * @param logits the key of the module's output dict that holds the logits
 * @param taps the keys of its feature maps, in execution order
 */
record TorchScriptSettings(Path file, String logits, List<String> taps) {
    TorchScriptSettings {
        taps = List.copyOf(taps);
    }

    static TorchScriptSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "architecture", TorchScriptArchitectureFactory.NAME);
        String fileName = reader.getString("file");
        String logits = reader.getString("logits");
        List<String> taps = List.of();
        try {
            taps = List.copyOf(settings.getStringList("taps"));
        } catch (ConfigException e) {
            reader.check(false, "taps", "a list of the output dict's keys of the feature maps, in execution order");
        }
        Path file = null;
        try {
            file = fileName.isEmpty() ? null : Path.of(fileName).toAbsolutePath();
        } catch (InvalidPathException e) {
            // reported just below, as a missing file
        }
        reader.check(!fileName.isEmpty(), "file",
                "the path of a TorchScript file (torch.jit.save of a scripted or traced module)");
        reader.check(fileName.isEmpty() || (file != null && Files.isRegularFile(file)), "file",
                "an existing file (relative paths are read from the working directory, " + Path.of("").toAbsolutePath() + ")");
        reader.check(!logits.isBlank(), "logits", "the key of the output dict entry holding the logits");
        reader.check(taps.stream().noneMatch(String::isBlank), "taps", "keys that are not blank");
        reader.check(taps.stream().distinct().count() == taps.size(), "taps", "distinct keys");
        reader.check(!taps.contains(logits), "taps", "keys other than the logits' key '" + logits + "'");
        reader.throwIfInvalid();
        return new TorchScriptSettings(file, logits, taps);
    }
}
