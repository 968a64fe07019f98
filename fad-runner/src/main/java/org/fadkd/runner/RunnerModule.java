package org.fadkd.runner;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.PrintStream;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;

/**
 * Wires the runner: the project layout, the console, and the component registry of the plugins on
 * the class path. Binding only; plugins load when the registry is first asked for, after the
 * deep-learning engine has started.
 */
final class RunnerModule extends AbstractModule {
    private final ProjectLayout layout;
    private final PrintStream console;
    private final ClassLoader pluginLoader;

    RunnerModule(ProjectLayout layout, PrintStream console, ClassLoader pluginLoader) {
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
        this.pluginLoader = requireNonNull(pluginLoader, "pluginLoader is null");
    }

    @Override
    protected void configure() {
        bind(ProjectLayout.class).toInstance(layout);
        bind(PrintStream.class).toInstance(console);
    }

    @Provides
    @Singleton
    ComponentRegistry registry() {
        return ComponentRegistry.fromClassLoader(pluginLoader);
    }

    @Provides
    @Singleton
    ComponentBinder binder(ComponentRegistry registry) {
        return new ComponentBinder(registry);
    }
}
