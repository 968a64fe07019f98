package org.fadkd.runner.job;

import org.fadkd.runner.results.JobSpec;

import java.util.Map;
import org.fadkd.engine.job.JobSummary;

/** Summaries of made-up jobs for tests of what reads them. */
public final class TestingJobSummaries {
    private TestingJobSummaries() {}

    /** The summary a job of {@code spec} reports with this status, metrics and flow report. */
    public static JobSummary of(JobSpec spec, String status, Map<String, Object> metrics, Map<String, Object> flow) {
        return new JobSummary(spec.experiment(), spec.number(), spec.method(), spec.teacher(),
                spec.config().hasPath("student.type") ? spec.student() : "student", spec.seed(), null, status, null,
                metrics, flow, Map.of());
    }

    /** The summary of a job of {@code spec} with this status and metrics. */
    public static JobSummary of(JobSpec spec, String status, Map<String, Object> metrics) {
        return of(spec, status, metrics, Map.of());
    }
}
