package org.fadkd.engine.job;

import java.util.Map;
import org.fadkd.api.MetricSink;

/**
 * What a running job tells the outside world besides its console lines: params, tags and metrics,
 * for the runner's spool and tracking. Calls come from the job's thread.
 */
public interface JobListener extends MetricSink {
    /** Params of the job (MLflow semantics: set once, never changed). */
    void params(Map<String, String> params);

    /** Tags of the job (may be set again). */
    void tags(Map<String, String> tags);

    /** A listener that drops everything: for jobs whose events nobody records (a precompute). */
    JobListener NONE = new JobListener() {
        @Override
        public void metric(String key, double value, long step) {}

        @Override
        public void params(Map<String, String> params) {}

        @Override
        public void tags(Map<String, String> tags) {}
    };
}
