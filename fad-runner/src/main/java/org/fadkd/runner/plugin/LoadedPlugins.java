package org.fadkd.runner.plugin;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.fadkd.engine.component.ComponentRegistry;

/**
 * What plugin loading produced: the registry of every usable component, the plugins it came from,
 * and the problems of the plugins (or components) that could not be used. Problems do not stop the
 * other plugins; the runner prints them before it does anything else.
 *
 * @param registry every registered component, never null
 * @param plugins the plugins that registered at least one class, in load order
 * @param problems user-facing messages naming the directory and jars at fault, in load order
 */
public record LoadedPlugins(ComponentRegistry registry, List<PluginDescriptor> plugins, List<String> problems) {
    public LoadedPlugins {
        requireNonNull(registry, "registry is null");
        plugins = List.copyOf(plugins);
        problems = List.copyOf(problems);
    }
}
