package org.fadkd.runner.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import java.util.List;

/**
 * The result of composing one job: a resolved config and the overrides that made it, for the run
 * directory and the tracking record.
 *
 * @param experimentName the experiment file's name without {@code .conf}, never null
 * @param config the composed config, resolved, without {@code defaults} and {@code sweep}
 * @param overrides the overrides applied, sweep ones first, in order, never null
 * @param unresolved the same config before substitutions were resolved, for {@code --cfg} without
 *     {@code --resolve}
 */
public record ComposedJob(String experimentName, Config config, List<String> overrides, Config unresolved) {
    public ComposedJob {
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(config, "config is null");
        requireNonNull(unresolved, "unresolved is null");
        overrides = List.copyOf(overrides);
    }
}
