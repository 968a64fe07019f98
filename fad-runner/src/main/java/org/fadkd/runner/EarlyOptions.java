package org.fadkd.runner;

import org.fadkd.runner.config.ProjectLayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --plugins-dir DIR} and {@code --config-dir DIR}, taken off the command line before picocli
 * sees it. Both shape what picocli's commands are built from: plugins must be loaded before the
 * commands are created with the registry injected, and the config search path is part of the
 * {@link ProjectLayout} they are created with. Either option is accepted before or after any
 * subcommand name, as {@code runner list --plugins-dir x}.
 *
 * @param pluginDirs directories each holding one subdirectory per plugin, in order
 * @param configDirs extra config-group directories, searched before the project's, in order
 * @param remaining the other arguments, in order
 */
public record EarlyOptions(List<Path> pluginDirs, List<Path> configDirs, String[] remaining) {
    /** Adds plugin directories. */
    public static final String PLUGINS_DIR = "--plugins-dir";
    /** Adds a config-group directory, like Hydra's {@code --config-dir}. */
    public static final String CONFIG_DIR = "--config-dir";

    public EarlyOptions {
        pluginDirs = List.copyOf(pluginDirs);
        configDirs = List.copyOf(configDirs);
        remaining = remaining.clone();
    }

    /**
     * Splits {@code --plugins-dir DIR}, {@code --plugins-dir=DIR} and the same forms of {@code
     * --config-dir} off the arguments, up to a {@code --} that ends the options. A trailing option
     * without a value is left in place, so picocli reports it.
     */
    public static EarlyOptions extract(String[] args) {
        List<Path> plugins = new ArrayList<>();
        List<Path> configs = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded) {
                List<Path> target = arg.startsWith(PLUGINS_DIR) ? plugins : arg.startsWith(CONFIG_DIR) ? configs : null;
                String option = target == plugins ? PLUGINS_DIR : CONFIG_DIR;
                if (target != null && arg.equals(option) && i + 1 < args.length) {
                    target.add(Path.of(args[++i]));
                    continue;
                }
                if (target != null && arg.startsWith(option + "=")) {
                    target.add(Path.of(arg.substring(option.length() + 1)));
                    continue;
                }
            }
            remaining.add(arg);
        }
        return new EarlyOptions(plugins, configs, remaining.toArray(String[]::new));
    }

    /** Documents both options in the usage help of a command; parsing is done by {@link #extract}. */
    public static void describeIn(CommandLine command) {
        add(command, PLUGINS_DIR, "Also load plugins from DIR: each subdirectory of DIR is one plugin (its jars)."
                + " Repeatable; plugins/ of the project is always searched.");
        add(command, CONFIG_DIR, "Also look for config groups in DIR (DIR/method/kd.conf is option 'kd' of group"
                + " 'method'), before configs/ of the working directory and of the project. Repeatable.");
    }

    private static void add(CommandLine command, String name, String description) {
        if (command.getCommandSpec().findOption(name) == null) {
            command.getCommandSpec().addOption(
                    OptionSpec.builder(name).paramLabel("DIR").type(Path.class).description(description).build());
        }
    }
}
