package org.fadkd.runner.tracking;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Who a spool's run is: the {@code run} line of {@link TrackingSpool}.
 *
 * @param id a random id, unique per run, that lets sync find a run it created before (tag {@code
 *     fad.spool_id}) even when it crashed before remembering it
 * @param name the run name shown in MLflow
 * @param kind a sweep's parent run or a job
 * @param job the job's number in its sweep, or null
 * @param parent the parent spool's directory relative to this spool's directory, or null
 * @param experiment the MLflow experiment the run belongs in, or null (sync then decides)
 */
public record SpoolRun(String id, String name, Kind kind, Integer job, String parent, String experiment) {
    /** A parent run (a sweep) or a run that trains (a job). */
    public enum Kind {
        SWEEP("sweep"),
        JOB("job");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The kind written as {@code label}; JOB for anything else, as old spools only held jobs. */
        public static Kind of(String label) {
            return "sweep".equals(label) ? SWEEP : JOB;
        }
    }

    public SpoolRun {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
    }

    /** A sweep's parent run. */
    public static SpoolRun sweep(String name, String experiment) {
        return new SpoolRun(newId(), name, Kind.SWEEP, null, null, experiment);
    }

    /** A job run on its own, without a parent. */
    public static SpoolRun job(String name, String experiment) {
        return new SpoolRun(newId(), name, Kind.JOB, null, null, experiment);
    }

    /**
     * A job of a sweep.
     *
     * @param parent the parent spool's directory relative to the job's directory, e.g. {@code ".."}
     */
    public static SpoolRun childJob(String name, String experiment, int job, String parent) {
        return new SpoolRun(newId(), name, Kind.JOB, job, requireNonNull(parent, "parent is null"), experiment);
    }

    /**
     * A child run that is not one of its parent's jobs, such as the run of a teacher's training.
     *
     * @param parent the parent spool's directory relative to the child's directory, e.g. {@code "../.."}
     */
    public static SpoolRun child(String name, String experiment, String parent) {
        return new SpoolRun(newId(), name, Kind.JOB, null, requireNonNull(parent, "parent is null"), experiment);
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
