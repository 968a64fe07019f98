/**
 * Hydra-like configuration composition on HOCON, the project's layout ({@link
 * org.fadkd.runner.config.ProjectLayout}: config, experiment, data, cache and output directories)
 * and the runner's own job settings ({@link org.fadkd.runner.config.JobDefaults}: {@code
 * job-defaults.conf} and {@code selection-defaults.conf}).
 *
 * <p>A project has {@code configs/<group>/<option>.conf} fragments and {@code
 * experiments/<name>.conf} files. An experiment's {@code defaults} list chooses one option per
 * group and the package (config path) it is placed at; {@link
 * org.fadkd.runner.config.ConfigComposer} merges them in list order, switches options and sets keys
 * from {@code key=value} overrides, lets the runner fill in component defaults, and resolves
 * substitutions once at the end. A {@code sweep} block in the experiment expands into the jobs of a
 * multirun. {@link org.fadkd.runner.config.ExperimentCatalog} finds experiment files by name.
 *
 * <p>Every user mistake found while composing is collected and reported in one {@link
 * org.fadkd.api.FadException}, each with its file and line where known and a "Did you mean"
 * suggestion from {@link org.fadkd.engine.util.Suggestions}.
 */
package org.fadkd.runner.config;
