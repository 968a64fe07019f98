package org.fadkd.nlp.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.function.Function;
import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.FadContext;

/**
 * What the text architecture factories share: settings read by one method that both {@link
 * #check} and {@link #create} call, and an architecture built from the settings alone. Defaults
 * come from {@code defaults/<name>.conf} next to the factory.
 *
 * @param <S> the settings record
 */
abstract class TextArchitectureFactory<S> implements ArchitectureFactory {
    private final String name;
    private final Function<Config, S> settings;
    private final Function<S, Architecture> architecture;

    TextArchitectureFactory(String name, Function<Config, S> settings, Function<S, Architecture> architecture) {
        this.name = requireNonNull(name, "name is null");
        this.settings = requireNonNull(settings, "settings is null");
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
        return architecture.apply(this.settings.apply(settings));
    }

    @Override
    public final void check(Config settings) {
        this.settings.apply(requireNonNull(settings, "settings is null"));
    }
}
