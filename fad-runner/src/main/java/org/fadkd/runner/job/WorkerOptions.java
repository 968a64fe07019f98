package org.fadkd.runner.job;

import java.nio.file.Path;
import java.util.List;

/**
 * What a worker process must be told that its JVM's options do not carry: the plugin directories
 * given on the runner's command line ({@code --plugins-dir}). The built-in plugins, {@code
 * fad.home} and the class path travel as system properties and JVM options.
 *
 * @param pluginDirs the {@code --plugins-dir} directories, in order
 */
public record WorkerOptions(List<Path> pluginDirs) {
    /** A runner started without {@code --plugins-dir}. */
    public static final WorkerOptions NONE = new WorkerOptions(List.of());

    public WorkerOptions {
        pluginDirs = pluginDirs.stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
    }
}
