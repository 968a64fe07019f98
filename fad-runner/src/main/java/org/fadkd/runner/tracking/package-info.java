/**
 * Tracking: every event of a run goes first to its append-only spool ({@link
 * org.fadkd.runner.tracking.TrackingSpool}, {@code tracking.jsonl} in the run directory), so that
 * nothing is lost when no tracking server is configured or reachable. {@link
 * org.fadkd.runner.tracking.TrackingSession} is what the runner calls: run identities, tags,
 * artifacts, system metrics ({@link org.fadkd.runner.tracking.SystemMetricsSampler}) and a
 * sweep's parent run ({@link org.fadkd.runner.tracking.SweepSummary}). {@link
 * org.fadkd.runner.tracking.TrackingSettings} says where runs go and holds the credentials, which
 * nothing here prints. The MLflow adapter, live and {@code runner sync}, is in {@code mlflow}.
 */
package org.fadkd.runner.tracking;
