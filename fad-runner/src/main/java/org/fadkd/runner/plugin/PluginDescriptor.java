package org.fadkd.runner.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One loaded plugin.
 *
 * @param name the plugin directory's name, or {@code class path} for plugins found there
 * @param location the plugin directory, or the class-path entry holding the plugin class
 * @param jars the jars of a plugin directory, sorted; empty for class-path plugins
 * @param classLoader the loader its classes come from: its own {@link PluginClassLoader}, or the
 *     host's for class-path plugins
 * @param pluginClasses the {@code FadPlugin} implementations it registered
 */
public record PluginDescriptor(
        String name, String location, List<Path> jars, ClassLoader classLoader, List<String> pluginClasses) {
    public PluginDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        jars = List.copyOf(jars);
        requireNonNull(classLoader, "classLoader is null");
        pluginClasses = List.copyOf(pluginClasses);
    }

    /** Whether this plugin runs in its own class loader (a plugin directory), not on the class path. */
    public boolean isIsolated() {
        return classLoader instanceof PluginClassLoader;
    }
}
