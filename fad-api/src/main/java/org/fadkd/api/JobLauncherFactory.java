package org.fadkd.api;

/**
 * Creates a launcher (kind launcher, config group {@code launcher}). The host creates one launcher
 * per sweep, from the first job's {@code launcher} section (as Hydra takes a sweep's launcher from
 * its first job), and passes a {@link FadContext} that only carries the seed and the output
 * directory: a launcher trains nothing and allocates no arrays.
 *
 * @since 0.2
 */
public interface JobLauncherFactory extends ComponentFactory<JobLauncher> {}
