package org.fadkd.runner.report;

import org.fadkd.engine.job.JobSummary;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.runner.results.JobDirectory;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;

/**
 * The HTML report of one or more runs or sweeps: a self-contained {@value #FILE_NAME} (inline
 * style sheet, charts as {@code data:} PNGs, no external resource) with, per experiment, a table
 * of mean ± std per configuration and its final top-1 against the student alone (paired by seed,
 * 95 % interval), radar charts, the accuracy-vs-GFLOPs scatter, every job's flow
 * plots and the job list.
 *
 * <p>Built either from the results a run has just produced ({@link #of}) or from the directories
 * it wrote ({@link #read}); the page is the same.
 */
public final class SweepReport {
    /** The report's file name in a run or sweep directory. */
    public static final String FILE_NAME = "report.html";

    private final List<Path> sources;
    private final List<JobResult> results;
    private final List<String> notes;

    private SweepReport(List<Path> sources, List<JobResult> results, List<String> notes) {
        this.sources = List.copyOf(sources);
        this.results = List.copyOf(results);
        this.notes = List.copyOf(notes);
    }

    /**
     * The report of results a run has just produced.
     *
     * @param directory the run or sweep directory, named in the header
     */
    public static SweepReport of(Path directory, List<JobResult> results) {
        requireNonNull(directory, "directory is null");
        return new SweepReport(List.of(directory), results, List.of());
    }

    /**
     * Reads the jobs of run and sweep directories: each directory is a job directory, a sweep
     * directory with a {@code multirun.conf}, or one with numbered job directories. A job directory
     * without a readable {@code summary.json} (the job has not ended) is left out and named in a
     * note at the top of the report; a job listed twice is read once.
     *
     * @param directories at least one
     * @throws FadException with DATA_MISSING naming the first directory that does not exist or
     *     holds no job with a {@code summary.json}
     */
    public static SweepReport read(List<Path> directories) {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("no directory to report on");
        }
        List<JobResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format(
                        "'%s' is not a directory. Name a run or sweep directory, e.g. multirun/<date>/<time>.",
                        directory));
            }
            List<Path> jobDirectories = JobDirectory.find(directory);
            if (jobDirectories.stream().noneMatch(job -> Files.isRegularFile(job.resolve(JobDirectory.SUMMARY_FILE)))) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format(
                        "'%s' holds no job results: expected a job directory (with %s and %s), or a sweep directory"
                                + " whose job directories (0/, 1/, ...) have them. Name the directory a run printed"
                                + " at its end, e.g. multirun/<date>/<time>.",
                        directory, JobDirectory.CONFIG_FILE, JobDirectory.SUMMARY_FILE));
            }
            for (Path jobDirectory : jobDirectories) {
                if (seen.add(jobDirectory)) {
                    readJob(jobDirectory, results, notes);
                }
            }
        }
        return new SweepReport(directories.stream().map(d -> d.toAbsolutePath().normalize()).toList(), results, notes);
    }

    private static void readJob(Path jobDirectory, List<JobResult> results, List<String> notes) {
        JobSummary summary = JobDirectory.readSummary(jobDirectory);
        if (summary == null) {
            notes.add("Left out " + jobDirectory + ": its " + JobDirectory.SUMMARY_FILE
                    + " is missing or cannot be parsed (the job has not ended, or it was cut off while writing).");
            return;
        }
        try {
            String experiment = summary.experiment();
            JobSpec spec = new JobSpec(experiment, JobDirectory.number(jobDirectory, summary),
                    JobDirectory.readOverrides(jobDirectory), JobDirectory.readConfig(jobDirectory));
            boolean teacherCached = Boolean.TRUE.equals(summary.metrics().get("teacher_cached"));
            results.add(new JobResult(spec, jobDirectory, summary, teacherCached));
        } catch (FadException e) {
            notes.add("Left out " + jobDirectory + ": " + e.getMessage());
        }
    }

    /** The jobs reported on, in the order read. */
    public List<JobResult> results() {
        return results;
    }

    /** The page, written now. */
    public String toHtml() {
        String writtenAt = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        return HtmlReport.render("FAD report", sources, results, notes, writtenAt);
    }

    /**
     * Writes the page to {@code file}, creating its directory, replacing an older report.
     *
     * @return {@code file}, absolute
     * @throws IOException when it cannot be written
     */
    public Path write(Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.writeString(target, toHtml());
        return target;
    }
}
