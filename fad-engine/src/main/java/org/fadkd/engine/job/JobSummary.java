package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one job reports: the {@code summary.json} contract, read by the runner's summary table,
 * tracking and report. Later versions add fields, never rename them; {@link #toJson} writes them
 * in the documented order and leaves out the optional ones that are absent.
 *
 * @param experiment the experiment's name
 * @param job the 0-based job number in its sweep
 * @param method the method's type
 * @param teacher the teacher's architecture type
 * @param student the student's architecture type (the selected winner's when the job selects)
 * @param seed the job's seed
 * @param selected the selected candidate's name, or null when the job did not select
 * @param status {@code FINISHED} or {@code FAILED}
 * @param error the failure's message, or null
 * @param metrics the job's metrics by name (numbers and booleans), in the order they were measured
 * @param flow the flow report ({@link org.fadkd.engine.report.FlowReport#toSummary()}), empty when
 *     not measured
 * @param measurement where the timings were taken ({@code engine}, {@code device}, {@code threads}),
 *     empty when not measured
 */
public record JobSummary(
        String experiment,
        int job,
        String method,
        String teacher,
        String student,
        long seed,
        String selected,
        String status,
        String error,
        Map<String, Object> metrics,
        Map<String, Object> flow,
        Map<String, Object> measurement) {
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";

    public JobSummary {
        requireNonNull(experiment, "experiment is null");
        requireNonNull(method, "method is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        requireNonNull(status, "status is null");
        metrics = unmodifiableCopy(metrics);
        flow = unmodifiableCopy(flow);
        measurement = unmodifiableCopy(measurement);
    }

    /** Whether the job finished. */
    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** A numeric metric, or null when the job did not report it. */
    public Double metric(String name) {
        return metrics.get(name) instanceof Number number ? number.doubleValue() : null;
    }

    /** The summary as {@code summary.json} holds it, keys in the documented order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", experiment);
        json.put("job", job);
        json.put("method", method);
        json.put("teacher", teacher);
        json.put("student", student);
        json.put("seed", seed);
        if (selected != null) {
            json.put("selected", selected);
        }
        json.put("status", status);
        if (error != null) {
            json.put("error", error);
        }
        json.put("metrics", metrics);
        if (!flow.isEmpty()) {
            json.put("flow", flow);
        }
        if (!measurement.isEmpty()) {
            json.put("measurement", measurement);
        }
        return json;
    }

    /**
     * Reads a summary from its JSON form (as parsed into maps, lists, numbers and strings);
     * missing optional fields are absent, missing required ones are reported.
     *
     * @throws IllegalArgumentException naming a missing or mistyped field
     */
    @SuppressWarnings("unchecked")
    public static JobSummary fromJson(Map<String, ?> json) {
        return new JobSummary(
                string(json, "experiment"), number(json, "job").intValue(), string(json, "method"),
                string(json, "teacher"), string(json, "student"), number(json, "seed").longValue(),
                (String) json.get("selected"), string(json, "status"), (String) json.get("error"),
                (Map<String, Object>) json.get("metrics"), (Map<String, Object>) json.get("flow"),
                (Map<String, Object>) json.get("measurement"));
    }

    private static String string(Map<String, ?> json, String key) {
        if (!(json.get(key) instanceof String value)) {
            throw new IllegalArgumentException("summary field '" + key + "' is missing or not a string");
        }
        return value;
    }

    private static Number number(Map<String, ?> json, String key) {
        if (!(json.get(key) instanceof Number value)) {
            throw new IllegalArgumentException("summary field '" + key + "' is missing or not a number");
        }
        return value;
    }

    private static Map<String, Object> unmodifiableCopy(Map<String, Object> map) {
        // Insertion order is part of the file's layout, so no Map.copyOf.
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
