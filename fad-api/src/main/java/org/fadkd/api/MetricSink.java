package org.fadkd.api;

/**
 * Where plugins report numbers they want tracked. The host writes them to the job's tracking
 * spool (and later to MLflow).
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public interface MetricSink {
    /**
     * Records one metric point.
     *
     * @param key the metric name, for example {@code fad/d_align}, never null
     * @param value the value; NaN and infinities are recorded as such
     * @param step the step (for per-epoch metrics, the epoch)
     * @since 0.1
     */
    void metric(String key, double value, long step);
}
