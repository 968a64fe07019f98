/**
 * The runner's composition root: {@link org.fadkd.runner.Main} (the {@code runner} command), the
 * Guice wiring ({@link org.fadkd.runner.RunnerModule}), the options read before picocli, and the
 * {@link org.fadkd.runner.config.ProjectLayout} of config, experiment, data, cache and output directories.
 *
 * <p>Guice and picocli stay in fad-runner; nothing in fad-engine, fad-flow, fad-api or a plugin
 * may depend on this package or its subpackages.
 */
package org.fadkd.runner;
