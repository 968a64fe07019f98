package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

import java.util.function.Function;

/**
 * What every architecture factory of this plugin does: a name, and an architecture built from the
 * settings alone (the architectures need nothing from the context). The defaults are read from
 * {@code defaults/<name>.conf} next to the concrete factory, through {@link
 * ArchitectureFactory#getDefaults()}.
 */
abstract class VisionArchitectureFactory implements ArchitectureFactory {
    private final String name;
    private final Function<Config, Architecture> architecture;

    /**
     * @param name the component name
     * @param architecture reads and checks the settings and builds the architecture
     */
    VisionArchitectureFactory(String name, Function<Config, Architecture> architecture) {
        this.name = requireNonNull(name, "name is null");
        this.architecture = requireNonNull(architecture, "architecture is null");
    }

    @Override
    public final String getName() {
        return name;
    }

    @Override
    public final Architecture create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return architecture.apply(settings);
    }
}
