package org.fadkd.runner.job;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a job reports: its {@code summary.json} content and where it was written.
 *
 * @param spec the job
 * @param directory the job's output directory
 * @param summary the summary (the summary.json contract)
 * @param teacherCached whether the teacher came from the cache
 */
public record JobResult(JobSpec spec, Path directory, Map<String, Object> summary, boolean teacherCached) {
    public boolean finished() {
        return "FINISHED".equals(summary.get("status"));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metrics() {
        return (Map<String, Object>) summary.getOrDefault("metrics", Map.of());
    }
}
