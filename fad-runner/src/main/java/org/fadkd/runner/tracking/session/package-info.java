/**
 * A run's tracking as the job runner sees it: {@link
 * org.fadkd.runner.tracking.session.TrackingSession} opens the sweep's parent run and each job's
 * child run, samples system metrics, tags runs and feeds the live MLflow sender. Above the spool
 * ({@code org.fadkd.runner.tracking}) and the MLflow adapter ({@code
 * org.fadkd.runner.tracking.mlflow}), which know nothing of it.
 */
package org.fadkd.runner.tracking.session;
