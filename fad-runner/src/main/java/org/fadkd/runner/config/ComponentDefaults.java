package org.fadkd.runner.config;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Fills each component section of a composed config with its factory's documented defaults. The
 * runner implements it (it knows the plugins); {@link ConfigComposer} calls it after the groups are
 * merged and group overrides applied, and before key overrides are checked, so that {@code
 * method.alpha=0.5} is accepted when only the factory's defaults mention {@code alpha}.
 *
 * <p>The config passed in is not resolved: read {@code type} values with {@code
 * composed.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true))} if they may use
 * substitutions, and return a config built on {@code composed} (typically {@code
 * composed.withFallback(defaultsPlacedAtTheirSections)}), not a resolved copy, so that key
 * overrides still flow through substitutions.
 *
 * <p>To report every problem at once, the composer calls this hook even when some group options
 * failed to load; their packages are then absent, and an implementation should skip absent
 * sections. A {@link org.fadkd.api.FadException} it throws becomes one entry of the composer's
 * error list.
 */
@FunctionalInterface
public interface ComponentDefaults {
    /**
     * Returns {@code composed} with component defaults filled in.
     *
     * @param composed the merged, unresolved config, never null
     * @return the filled config, never null
     */
    Config fill(Config composed);

    /**
     * Returns the problems of a composed, resolved job config that only the runner can see: values
     * out of range, keys no component or job setting uses, unknown component types. The composer
     * calls this when composition itself found problems (an unknown option, an unknown key in an
     * override), so that one report lists the problems of every stage rather than one stage per
     * edit-run cycle; sections whose option failed to load are absent then, and what is said
     * about them is dropped. The default finds nothing.
     *
     * @param resolved the composed config as far as composition got, resolved, never null
     * @return the problems, one line each, never null
     */
    default List<String> validate(Config resolved) {
        return List.of();
    }

    /**
     * Returns a hook that adds nothing, for callers that bind no components (validation of the
     * config files alone, tests).
     *
     * @return the identity hook
     */
    static ComponentDefaults none() {
        return composed -> composed;
    }
}
