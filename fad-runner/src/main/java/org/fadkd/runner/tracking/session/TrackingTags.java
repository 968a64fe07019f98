package org.fadkd.runner.tracking.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fadkd.engine.job.ConfigText;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.tracking.TrackingSettings;

/**
 * Run names and tags, the same for every run so that MLflow's search, compare and
 * parallel-coordinates views can group them: {@code fad.kind} ({@code sweep}, {@code job}, {@code
 * teacher}, {@code selection}, {@code candidate}), {@code fad.experiment-file} (the experiment
 * file the runs come from, on every run; the MLflow experiment is the run's own), {@code
 * fad.method}, {@code fad.teacher}, {@code fad.student}, {@code fad.seed}, {@code
 * fad.config_hash}, {@code fad.job}, {@code fad.overrides}, and {@code mlflow.source.git.commit}
 * (MLflow's own key, which its UI shows) when the commit is known.
 *
 * <p>Names put what tells runs apart first, as MLflow's run table cuts long names at the end: a
 * sweep's parent run starts with its start time ({@code sweep_2026-12-07_10-00-00_<experiment>}).
 * Overrides of the {@code tracking} section are left out of {@code fad.overrides}: where a run was
 * logged is no part of what it computed, and the URI may hold credentials.
 */
public final class TrackingTags {
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    private TrackingTags() {}

    /** A job's run name: {@code <method>_<teacher>-to-<student>_seed<N>}, e.g. {@code fad_resnet-to-cnn-s_seed1}. */
    public static String jobRunName(String method, String teacher, String student, long seed) {
        return method + "_" + teacher + "-to-" + student + "_seed" + seed;
    }

    /** A job's run name from its spec. */
    public static String jobRunName(JobSpec spec) {
        return jobRunName(spec.method(), spec.teacher(), spec.student(), spec.seed());
    }

    /** A sweep's parent run name: {@code sweep_<date>_<time>_<experiment>}, the start time first. */
    public static String sweepRunName(String experiment, LocalDateTime started) {
        return "sweep_" + STARTED.format(started) + "_" + experiment;
    }

    /** A selection's parent run name: {@code <experiment>_select_<date>_<time>}. */
    public static String selectionRunName(String experiment, LocalDateTime started) {
        return experiment + "_select_" + STARTED.format(started);
    }

    /** The run of a teacher's training: {@code teacher_<teacher>}. */
    public static String teacherRunName(String teacher) {
        return "teacher_" + teacher;
    }

    /** A selection candidate's run name: {@code candidate_<name>}. */
    public static String candidateRunName(String candidate) {
        return "candidate_" + candidate;
    }

    /**
     * A job's tags.
     *
     * @param gitCommit the checkout's commit, if known
     */
    public static Map<String, String> jobTags(JobSpec spec, Optional<String> gitCommit) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("fad.kind", "job");
        tags.put("fad.experiment-file", spec.experiment());
        tags.put("fad.method", spec.method());
        tags.put("fad.teacher", spec.teacher());
        tags.put("fad.student", spec.student());
        tags.put("fad.seed", Long.toString(spec.seed()));
        tags.put("fad.config_hash", configHash(spec));
        tags.put("fad.job", Integer.toString(spec.number()));
        tags.put("fad.overrides", overrides(spec.overrides()));
        gitCommit.ifPresent(commit -> tags.put("mlflow.source.git.commit", commit));
        return tags;
    }

    /** The tags of a teacher's training run, trained by the job {@code spec} ({@code fad.trained_in_job}). */
    public static Map<String, String> teacherTags(JobSpec spec, Optional<String> gitCommit) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("fad.kind", "teacher");
        tags.put("fad.experiment-file", spec.experiment());
        tags.put("fad.teacher", spec.teacher());
        tags.put("fad.trained_in_job", Integer.toString(spec.number()));
        gitCommit.ifPresent(commit -> tags.put("mlflow.source.git.commit", commit));
        return tags;
    }

    /** Overrides as one line, those of the {@code tracking} section left out. */
    static String overrides(List<String> overrides) {
        return String.join(" ", overrides.stream()
                .filter(override -> !TrackingSettings.isTrackingKey(SweepSummary.overrideKey(override)))
                .toList());
    }

    /** A selection's tags ({@code runner select}): its job's, as kind {@code selection}. */
    public static Map<String, String> selectionTags(JobSpec spec, Optional<String> gitCommit) {
        Map<String, String> tags = jobTags(spec, gitCommit);
        tags.put("fad.kind", "selection");
        return tags;
    }

    /**
     * A selection candidate's tags: its name and the experiment file.
     *
     * @param experimentFile the name of the experiment file the selection comes from
     */
    public static Map<String, String> candidateTags(String experimentFile, String candidate, Optional<String> gitCommit) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("fad.kind", "candidate");
        tags.put("fad.experiment-file", experimentFile);
        tags.put("fad.candidate", candidate);
        gitCommit.ifPresent(commit -> tags.put("mlflow.source.git.commit", commit));
        return tags;
    }

    /**
     * A sweep's tags: what it ran and how many jobs.
     *
     * @param experimentFile the name of the experiment file the sweep runs
     */
    public static Map<String, String> sweepTags(String experimentFile, List<String> overrides, int jobs,
            Optional<String> gitCommit) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("fad.kind", "sweep");
        tags.put("fad.experiment-file", experimentFile);
        tags.put("fad.overrides", overrides(overrides));
        tags.put("fad.jobs", Integer.toString(jobs));
        gitCommit.ifPresent(commit -> tags.put("mlflow.source.git.commit", commit));
        return tags;
    }

    /**
     * The first 12 hex digits of the SHA-256 of the job's resolved config as {@code config.conf}
     * renders it, without its {@code tracking} section (where a run is logged does not change
     * what it computes): equal for jobs that ran the same configuration.
     */
    public static String configHash(JobSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ConfigText.canonical(spec.config().withoutPath("tracking")).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
