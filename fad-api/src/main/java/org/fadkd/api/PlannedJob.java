package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One job of a sweep, planned and ready to run. Its directory describes it completely: the host
 * has written {@code config.conf} (the resolved config) and {@code overrides.txt} there, and the
 * sweep's {@code multirun.conf} above it lists it with its number. Whatever runs it (this process,
 * a worker process, a cluster node that shares the file system) needs nothing else, and leaves
 * its outcome there: {@code summary.json} ({@code FINISHED} or {@code FAILED}), {@code error.txt}
 * on failure, {@code tracking.jsonl}.
 *
 * @param number the job's 0-based number in the sweep
 * @param directory the job's directory, absolute
 * @param overrides the overrides that made the job, for display only
 * @since 0.2
 */
public record PlannedJob(int number, Path directory, List<String> overrides) {
    public PlannedJob {
        requireNonNull(directory, "directory is null");
        overrides = List.copyOf(overrides);
    }
}
