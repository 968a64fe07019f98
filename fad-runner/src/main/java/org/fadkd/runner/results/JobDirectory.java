package org.fadkd.runner.results;

import org.fadkd.engine.job.JobSummary;
import org.fadkd.runner.config.JobDefaults;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.Json;

/**
 * Reads back what the job runner and the sweep runner wrote: which directories of a run or
 * sweep are job directories, and each job's {@code config.conf}, {@code overrides.txt} and {@code
 * summary.json}. Resuming a sweep and reporting on one read a directory the same way.
 */
public final class JobDirectory {
    /** The sweep's record in its directory: the experiment, its overrides and its jobs. */
    public static final String MULTIRUN_RECORD = "multirun.conf";

    /** The file every job writes when it starts, the mark of a job directory. */
    public static final String CONFIG_FILE = "config.conf";
    /** The file a job writes when it ends, finished or failed. */
    public static final String SUMMARY_FILE = "summary.json";

    private JobDirectory() {}

    /**
     * The job directories in {@code directory}: the directory itself when it is a job directory;
     * otherwise the jobs its {@code multirun.conf} lists, in its order; otherwise its numbered
     * subdirectories ({@code 0/}, {@code 1/}, ...) in numeric order. Only directories holding a
     * {@value #CONFIG_FILE} count.
     *
     * @return the job directories, absolute and normalised; empty when there are none or {@code
     *     directory} does not exist
     */
    public static List<Path> find(Path directory) {
        Path base = directory.toAbsolutePath().normalize();
        List<Path> jobDirectories = new ArrayList<>();
        if (Files.isRegularFile(base.resolve(CONFIG_FILE))) {
            jobDirectories.add(base);
        } else if (Files.isRegularFile(base.resolve(MULTIRUN_RECORD))) {
            // Its job list names the job directories, whatever sweep.subdir made them.
            Config record = ConfigFactory.parseFile(base.resolve(MULTIRUN_RECORD).toFile());
            for (Config job : record.getConfigList("jobs")) {
                Path jobDirectory = base.resolve(job.getString("dir")).normalize();
                if (Files.isRegularFile(jobDirectory.resolve(CONFIG_FILE))) {
                    jobDirectories.add(jobDirectory);
                }
            }
        } else if (Files.isDirectory(base)) {
            try (Stream<Path> entries = Files.list(base)) {
                entries.filter(entry -> entry.getFileName().toString().matches("\\d+")
                                && Files.isRegularFile(entry.resolve(CONFIG_FILE)))
                        .sorted(Comparator.comparingInt(entry -> Integer.parseInt(entry.getFileName().toString())))
                        .forEach(jobDirectories::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + base, e);
            }
        }
        return jobDirectories;
    }

    /**
     * The job's number: its {@code summary.json}'s {@code job} when it has one, else its folder's
     * name when that is a number, else 0 (a single run's directory).
     */
    public static int number(Path jobDirectory, JobSummary summary) {
        if (summary != null) {
            return summary.job();
        }
        String folder = jobDirectory.getFileName().toString();
        return folder.matches("\\d+") ? Integer.parseInt(folder) : 0;
    }

    /**
     * The job's resolved config, as it started.
     *
     * @throws FadException with CONFIG_INVALID when it is missing or cannot be parsed
     */
    public static Config readConfig(Path jobDirectory) {
        Path file = jobDirectory.resolve(CONFIG_FILE);
        try {
            // A job started by an earlier version lacks the job settings added since (measurement,
            // tracking): they take their defaults.
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .withFallback(JobDefaults.get()).resolve();
        } catch (ConfigException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "The job's config '%s' cannot be read: %s", file, e.getMessage()), e);
        }
    }

    /** The overrides that made the job, one a line in {@code overrides.txt}; empty when it has none. */
    public static List<String> readOverrides(Path jobDirectory) {
        Path file = jobDirectory.resolve("overrides.txt");
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The job's summary, or null when it has none (it never ended) or it cannot be parsed (torn). */
    @SuppressWarnings("unchecked")
    public static JobSummary readSummary(Path jobDirectory) {
        Path file = jobDirectory.resolve(SUMMARY_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = Json.MAPPER.readValue(file.toFile(), LinkedHashMap.class);
            return JobSummary.fromJson(json);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /**
     * A job's result as its directory records it, the same whichever process or launcher ran it;
     * null when it wrote no readable {@code summary.json} (it never ran, or has not ended).
     */
    public static JobResult readResult(JobSpec spec, Path jobDirectory) {
        JobSummary summary = readSummary(jobDirectory);
        return summary == null ? null
                : new JobResult(spec, jobDirectory, summary, Boolean.TRUE.equals(summary.metrics().get("teacher_cached")));
    }
}
