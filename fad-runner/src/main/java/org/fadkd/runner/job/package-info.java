/**
 * Running what the command line asks for: {@link org.fadkd.runner.job.SweepRunner} plans and
 * validates every job of an experiment before any trains, {@link org.fadkd.runner.job.JobRunner}
 * runs one job and writes its directory ({@code config.conf}, {@code summary.json}, {@code
 * student/}), and the selection, teacher-flow and export-evaluation steps run parts of a job alone.
 *
 * <p>May depend on fad-engine, fad-api and the runner's {@code config}, {@code results}, {@code
 * tracking}, {@code tracking.session} and {@code report} packages; not on {@code cli}, and nothing
 * below the runner depends on it.
 */
package org.fadkd.runner.job;
