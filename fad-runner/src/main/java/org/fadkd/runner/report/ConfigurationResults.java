package org.fadkd.runner.report;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.SummaryTable;

/**
 * The finished jobs of one configuration (the same overrides but the seed), as {@link
 * SummaryTable#groupByConfiguration} groups them.
 *
 * @param label the configuration's overrides without the seed, e.g. {@code method=kd}
 * @param jobs its finished jobs, at least one
 */
public record ConfigurationResults(String label, List<JobResult> jobs) {
    public ConfigurationResults {
        jobs = List.copyOf(jobs);
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("configuration '" + label + "' has no jobs");
        }
    }

    /** The student architecture of its jobs. */
    public String student() {
        return jobs.get(0).spec().student();
    }

    /** The {@code metrics} values of the jobs that recorded {@code metric}, in job order. */
    public double[] values(String metric) {
        return SummaryTable.values(jobs, "metrics", metric);
    }

    /** The mean of {@code metric} over the jobs that recorded it; empty when none did. */
    public OptionalDouble mean(String metric) {
        return Arrays.stream(values(metric)).average();
    }
}
