package org.fadkd.runner.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --plugins-dir DIR}, taken off the command line before picocli sees it. Plugins must be
 * loaded before picocli builds the commands (they are created with the registry injected), and the
 * option is accepted before or after any subcommand name, as {@code runner list --plugins-dir x}.
 *
 * @param pluginDirs the directories given, each holding one subdirectory per plugin, in order
 * @param remaining the other arguments, in order
 */
public record PluginArguments(List<Path> pluginDirs, String[] remaining) {
    /** The option's name. */
    public static final String OPTION = "--plugins-dir";

    public PluginArguments {
        pluginDirs = List.copyOf(pluginDirs);
        remaining = remaining.clone();
    }

    /**
     * Splits {@code --plugins-dir DIR} and {@code --plugins-dir=DIR} off the arguments, up to a
     * {@code --} that ends the options. A trailing {@code --plugins-dir} without a value is left
     * in place, so picocli reports it as an unknown option.
     */
    public static PluginArguments extract(String[] args) {
        List<Path> dirs = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && arg.equals(OPTION) && i + 1 < args.length) {
                dirs.add(Path.of(args[++i]));
                continue;
            } else if (!optionsEnded && arg.startsWith(OPTION + "=")) {
                dirs.add(Path.of(arg.substring(OPTION.length() + 1)));
                continue;
            }
            remaining.add(arg);
        }
        return new PluginArguments(dirs, remaining.toArray(String[]::new));
    }

    /** Documents the option in the usage help of a command; parsing is done by {@link #extract}. */
    public static void describeIn(CommandLine command) {
        if (command.getCommandSpec().findOption(OPTION) != null) {
            return;
        }
        command.getCommandSpec().addOption(OptionSpec.builder(OPTION)
                .paramLabel("DIR")
                .type(Path.class)
                .description("Also load plugins from DIR: each subdirectory of DIR is one plugin (its jars)."
                        + " Repeatable; plugins/ of the project is always searched.")
                .build());
    }
}
