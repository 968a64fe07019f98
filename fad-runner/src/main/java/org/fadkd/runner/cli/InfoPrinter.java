package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.config.ExperimentCatalog;

/** {@code runner --info}: where configs come from, what an experiment composes, which plugins are loaded. */
final class InfoPrinter {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    InfoPrinter(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** Prints the info; {@code experiment} may be null, and then the defaults tree is left out. */
    void print(String experiment) {
        console.println("Config search path (earlier directories win):");
        layout.configDirs().forEach(dir -> console.println("  " + dir));
        console.println("Experiment search path (earlier directories win):");
        layout.experimentDirs().forEach(dir -> console.println("  " + dir));
        if (experiment != null) {
            Path file = new ExperimentCatalog(layout.experimentDirs()).find(experiment);
            console.printf("Defaults tree of experiment '%s' (composition order, later wins):%n",
                    ExperimentCatalog.nameOf(file));
            new ConfigComposer(layout.configDirs()).describeDefaults(file)
                    .forEach(line -> console.println("  " + line));
        }
        console.println("Plugins (FadPlugin, location: components):");
        plugins(binder.getRegistry()).forEach((plugin, components) ->
                console.println("  " + plugin + ": " + String.join(", ", components)));
    }

    /** Components by the plugin that registered them (the registry's source: class and location). */
    private static Map<String, List<String>> plugins(ComponentRegistry registry) {
        Map<String, List<String>> plugins = new LinkedHashMap<>();
        for (ComponentKind<?> kind : ComponentKind.ALL) {
            for (String name : registry.getNames(kind)) {
                plugins.computeIfAbsent(registry.getSource(kind, name), source -> new ArrayList<>())
                        .add(kind + " " + name);
            }
        }
        return plugins;
    }
}
