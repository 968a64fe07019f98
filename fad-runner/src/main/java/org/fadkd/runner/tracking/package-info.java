/**
 * Tracking's foundation: every event of a run goes first to its append-only spool ({@link
 * org.fadkd.runner.tracking.TrackingSpool}, {@code tracking.jsonl} in the run directory), so that
 * nothing is lost when no tracking server is configured or reachable; {@link
 * org.fadkd.runner.tracking.SpoolReader} reads spools back. {@link
 * org.fadkd.runner.tracking.TrackingSettings} says where runs go and holds the credentials, which
 * nothing here prints; {@link org.fadkd.runner.tracking.Redaction} removes them from URLs in any
 * text the runner prints or writes. The MLflow adapter, live and {@code runner sync}, is in {@code
 * mlflow}; what the runner calls during a run is in {@code session}. Depends on neither.
 */
package org.fadkd.runner.tracking;
