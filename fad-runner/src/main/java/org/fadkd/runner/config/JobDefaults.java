package org.fadkd.runner.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

/**
 * The runner's own settings under every job ({@code job-defaults.conf}) with the {@code selection}
 * section's ({@code selection-defaults.conf}, kept in its own file because it documents fad-spec
 * §10): seed, trainer, teacher-training, teacher-flow, checkpoint, measurement, tracking, selection.
 */
public final class JobDefaults {
    private static final String DIRECTORY = "org/fadkd/runner/job/";
    private static final Config DEFAULTS = resource("job-defaults.conf").withFallback(resource("selection-defaults.conf"));

    private JobDefaults() {}

    /** The defaults, unresolved. */
    public static Config get() {
        return DEFAULTS;
    }

    private static Config resource(String name) {
        return ConfigFactory.parseResources(JobDefaults.class.getClassLoader(), DIRECTORY + name,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }
}
