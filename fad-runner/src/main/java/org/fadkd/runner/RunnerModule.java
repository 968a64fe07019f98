package org.fadkd.runner;

import org.fadkd.runner.job.WorkerOptions;

import org.fadkd.runner.config.ProjectLayout;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.runner.plugin.ApiVersion;
import org.fadkd.runner.plugin.LoadedPlugins;
import org.fadkd.runner.plugin.PluginLoader;

/**
 * Wires the runner: the project layout, the console, and the component registry of the plugins on
 * the class path and in the plugin directories. Binding only; plugins load when the registry is
 * first asked for, after the deep-learning engine has started.
 */
final class RunnerModule extends AbstractModule {
    private final ProjectLayout layout;
    private final PrintStream console;
    private final ClassLoader hostLoader;
    private final List<Path> pluginRoots;

    private final WorkerOptions workerOptions;

    RunnerModule(ProjectLayout layout, PrintStream console, ClassLoader hostLoader, List<Path> pluginRoots,
            WorkerOptions workerOptions) {
        this.workerOptions = requireNonNull(workerOptions, "workerOptions is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
        this.hostLoader = requireNonNull(hostLoader, "hostLoader is null");
        this.pluginRoots = List.copyOf(pluginRoots);
    }

    @Override
    protected void configure() {
        bind(ProjectLayout.class).toInstance(layout);
        bind(PrintStream.class).toInstance(console);
        bind(WorkerOptions.class).toInstance(workerOptions);
    }

    @Provides
    @Singleton
    LoadedPlugins plugins() {
        return new PluginLoader(hostLoader, ApiVersion.host()).load(pluginRoots);
    }

    @Provides
    @Singleton
    ComponentRegistry registry(LoadedPlugins plugins) {
        return plugins.registry();
    }

    @Provides
    @Singleton
    ComponentBinder binder(ComponentRegistry registry) {
        return new ComponentBinder(registry);
    }
}
