/**
 * One job, end to end, without command line, dependency injection or tracking server: {@link
 * org.fadkd.engine.job.DistillationJob} runs the named steps (components, student preflight,
 * teacher, selection, teacher profile, train, evaluate, export, flow report, measure) over {@link
 * org.fadkd.engine.job.JobComponents} built once from typed {@link org.fadkd.engine.job.JobSettings},
 * reports through a {@link org.fadkd.engine.job.JobListener} and returns the {@link
 * org.fadkd.engine.job.JobSummary} that is {@code summary.json}'s contract. A job's trainer runs its
 * stages through {@code JobTrainerHost}. What the jobs of one process share lives in {@link
 * org.fadkd.engine.job.JobSession}.
 *
 * <p>Depends on the SPI and the engine's other packages; never on the runner or a plugin.
 */
package org.fadkd.engine.job;
