package org.fadkd.runner.tracking;

import java.util.Map;

/**
 * One line of a {@link TrackingSpool}, parsed. {@code line} is the 0-based number of the line in
 * the spool, which is how sync remembers what it has sent.
 */
public sealed interface SpoolEvent {
    int line();

    long timestamp();

    /** The run's identity. */
    record RunStarted(int line, long timestamp, SpoolRun run) implements SpoolEvent {}

    record Param(int line, long timestamp, String key, String value) implements SpoolEvent {}

    /** A metric point; the value may be NaN or infinite. */
    record Metric(int line, long timestamp, String key, double value, long step) implements SpoolEvent {}

    record Tag(int line, long timestamp, String key, String value) implements SpoolEvent {}

    /** A file or directory to upload, relative to the spool's directory. */
    record Artifact(int line, long timestamp, String path, String artifactDirectory) implements SpoolEvent {}

    /** The job's summary, as summary.json holds it. */
    record Summary(int line, long timestamp, Map<String, Object> summary) implements SpoolEvent {}

    record Status(int line, long timestamp, String status, String reason) implements SpoolEvent {}

    /** A line of a type this version does not know, or one that cannot be parsed (a torn write). */
    record Skipped(int line, long timestamp, String why) implements SpoolEvent {}
}
