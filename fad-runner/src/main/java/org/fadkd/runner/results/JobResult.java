package org.fadkd.runner.results;

import java.nio.file.Path;
import java.util.Map;
import org.fadkd.engine.job.JobSummary;

/**
 * How a job of a run or sweep ended, and where it wrote.
 *
 * @param spec the job
 * @param directory the job's output directory
 * @param summary what it reports (the summary.json contract)
 * @param teacherCached whether the teacher came from the cache
 */
public record JobResult(JobSpec spec, Path directory, JobSummary summary, boolean teacherCached) {
    public boolean finished() {
        return summary.finished();
    }

    public Map<String, Object> metrics() {
        return summary.metrics();
    }
}
