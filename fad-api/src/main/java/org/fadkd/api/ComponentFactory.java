package org.fadkd.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.Map;

/**
 * Creates one named component from its settings.
 *
 * <p>The host looks the factory up by the {@code type} of a config section, merges the section over
 * {@link #getDefaults()}, rejects keys the defaults do not have, removes {@code type}, and calls
 * {@link #create} once per job. Before any job trains, it validates every section the same way
 * and calls {@link #check} instead of {@link #create}, so that a value out of range is reported
 * with every other configuration problem rather than by a failed job. Names are lowercase kebab
 * case and unique per kind across all loaded plugins.
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
     * Checks the settings as {@link #create} would, without creating anything: reads every setting
     * and throws one exception listing every problem (a value out of range, of the wrong type, two
     * values that contradict each other). {@link SettingsReader} collects problems in the shape the
     * host reports; a factory whose settings record reads them with one ({@code
     * KdSettings.from(settings)}) calls that same method here and in {@link #create}, so that the
     * two cannot disagree.
     *
     * <p>Called by the host when it validates a section ({@code runner validate}, and every job of
     * a run before the first trains), after merging the section over {@link #getDefaults()} and
     * rejecting unknown keys; possibly many times, on any thread, and never followed by {@link
     * #create} in the same call. It must not allocate NDArrays, load models, or read or download
     * data: data presence is checked separately. Settings that name another component ({@link
     * #getNestedComponents()}) are checked here only as far as this component constrains them
     * (which types are allowed); the host checks the nested component's own settings.
     *
     * <p>The default accepts everything, for factories written before this method existed; their
     * range errors then surface only from {@link #create}.
     *
     * @param settings the component's section merged over its defaults, without {@code type},
     *     resolved; never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} listing every problem, each naming
     *     the key, the value, where it was set and the allowed range
     * @since 0.2
     */
    default void check(Config settings) {}

    /**
     * Returns the settings that name another component, by key (a path in this component's
     * settings), with that component's kind: a setting such as fad's {@code kd-term = kd} or
     * {@code flow-metric { type = gram, epsilon = 1e-6 }}, whose value is a component name or an
     * object with {@code type}. When the host validates this component's section it validates
     * each of these as a section of its own (unknown keys, value types, {@link #check}), so that a
     * nested component's mistakes are found before training too. {@link #create} still creates
     * them, through {@link FadContext#createComponent}.
     *
     * @return the nested components' keys and kinds, never null; empty by default
     * @since 0.2
     */
    default Map<String, ComponentKind<?>> getNestedComponents() {
        return Map.of();
    }

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

    /**
     * Returns the ranges {@code runner tune} searches this component's settings over, keyed by
     * setting (relative to the component's section): {@code { uniform = [lo, hi] }}, {@code {
     * log-uniform = [lo, hi] }}, {@code { int = [lo, hi] }} or {@code { choice = [a, b, ...] }}.
     * Only the settings that matter most belong here: every trial costs a training run. The
     * default reads the resource {@code defaults/<name>.search.conf} beside this class; an empty
     * config means nothing to tune.
     *
     * @return the search space, possibly empty, never null
     * @since 0.2
     */
    default Config getSearchSpace() {
        return ConfigFactory.parseResources(
                getClass(), "defaults/" + getName() + ".search.conf",
                ConfigParseOptions.defaults().setAllowMissing(true));
    }
}
