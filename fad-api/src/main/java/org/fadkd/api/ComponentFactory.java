package org.fadkd.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

/**
 * Creates one named component from its settings.
 *
 * <p>The host looks the factory up by the {@code type} of a config section, merges the section over
 * {@link #getDefaults()}, rejects keys the defaults do not have, removes {@code type}, and calls
 * {@link #create} once per job. Names are lowercase kebab case and unique per kind across all
 * loaded plugins.
 *
 * @param <T> the component type
 * @since 0.1
 */
public interface ComponentFactory<T> {
    /**
     * Returns the name users write as {@code type = <name>}.
     *
     * @return the name, never null
     * @since 0.1
     */
    String getName();

    /**
     * Creates the component. Implementations read every setting here, eagerly, and check ranges,
     * so all errors surface before training starts.
     *
     * @param settings the component's section merged over its defaults, without {@code type},
     *     resolved; never null
     * @param context what the host offers, never null
     * @return the component, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} naming the key, the value and the
     *     allowed range when a setting is invalid
     * @since 0.1
     */
    T create(Config settings, FadContext context);

    /**
     * Returns the documented defaults: every key this component accepts. The default
     * implementation reads the resource {@code defaults/<name>.conf} next to the factory class,
     * through the plugin's own class loader; a missing resource means "no settings".
     *
     * @return the defaults, never null
     * @since 0.1
     */
    default Config getDefaults() {
        return ConfigFactory.parseResources(
                getClass(), "defaults/" + getName() + ".conf",
                ConfigParseOptions.defaults().setAllowMissing(true));
    }
}
