package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Split;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.ProjectLayout;
import org.fadkd.runner.config.ComposedJob;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.config.ExperimentCatalog;
import org.fadkd.runner.config.JobPlan;

/**
 * Runs an experiment: plans its jobs (the sweep declared in the file and the command-line
 * overrides), composes and validates every job before any trains, checks that the data is there,
 * then runs the jobs in order and prints the summary table.
 */
public final class SweepRunner {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    public SweepRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * Composes and validates every job of the experiment; throws one error listing all problems.
     * A problem shared by every job is reported once; one that only some jobs have names them.
     */
    public List<JobSpec> plan(String experiment, List<String> overrides) {
        Path file = new ExperimentCatalog(layout.experimentDirs()).find(experiment);
        ConfigComposer composer = new ConfigComposer(layout.configDirs());
        JobSections sections = new JobSections(binder);
        List<JobPlan> plans = composer.planSweep(file, overrides);
        List<JobSpec> jobs = new ArrayList<>();
        Map<String, List<JobPlan>> problems = new LinkedHashMap<>();
        ErrorCode code = ErrorCode.CONFIG_INVALID;
        for (JobPlan plan : plans) {
            List<String> jobProblems;
            try {
                ComposedJob composed = composer.compose(file, plan.overrides(), sections);
                jobProblems = sections.validate(composed.config());
                if (jobProblems.isEmpty()) {
                    jobs.add(new JobSpec(composed.experimentName(), plan.number(), plan.overrides(), composed.config()));
                }
            } catch (FadException e) {
                jobProblems = e.getProblems();
                code = e.getErrorCode();
            }
            jobProblems.forEach(problem -> problems.computeIfAbsent(problem, key -> new ArrayList<>()).add(plan));
        }
        if (!problems.isEmpty()) {
            List<String> messages = new ArrayList<>();
            problems.forEach((problem, affected) -> messages.add(
                    affected.size() == plans.size() || plans.size() == 1 ? problem : prefix(affected) + problem));
            throw new FadException(problems.size() == 1 ? code : ErrorCode.CONFIG_INVALID, ComponentBinder.HEADING, messages);
        }
        return jobs;
    }

    private static String prefix(List<JobPlan> affected) {
        StringBuilder prefix = new StringBuilder(affected.size() == 1 ? "Job " : "Jobs ");
        for (int i = 0; i < affected.size(); i++) {
            JobPlan plan = affected.get(i);
            prefix.append(i == 0 ? "" : ", ").append(plan.number()).append(" ").append(plan.overrides());
        }
        return prefix.append(": ").toString();
    }

    /** Runs planned jobs and returns their results; a failed job does not stop the others. */
    public List<JobResult> run(List<JobSpec> jobs) {
        LocalDateTime now = LocalDateTime.now();
        boolean sweep = jobs.size() > 1 || !jobs.get(0).overrides().isEmpty();
        Path base = layout.outputDir()
                .resolve(sweep ? "multirun" : "outputs")
                .resolve(DATE.format(now))
                .resolve(TIME.format(now));
        console.printf("Experiment '%s': %d job%s, output in %s%n",
                jobs.get(0).experiment(), jobs.size(), jobs.size() == 1 ? "" : "s", base);
        Map<JobSpec, Path> directories = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            directories.put(job, sweep ? base.resolve(Integer.toString(job.number())) : base);
        }
        return runAll(directories, Map.of());
    }

    /**
     * Resumes a run or sweep in {@code directory} (a directory written by {@link #run}): each job
     * keeps its number and directory and is read from the {@code config.conf} and {@code
     * overrides.txt} it wrote when it started, so it continues with exactly the configuration it
     * began with, whatever the experiment file says now. A job whose {@code summary.json} says
     * {@code FINISHED} is skipped and its summary reported as it is; any other job runs again in
     * its directory, from its checkpoint when it has one ({@code checkpoint.enabled}).
     *
     * @param experiment the experiment named on the command line; it must be the one the jobs
     *     ran (checked against the jobs' summaries where they have one)
     * @throws FadException with CONFIG_INVALID when the directory holds no job of that experiment
     */
    public List<JobResult> resume(String experiment, Path directory) {
        Path base = directory.toAbsolutePath().normalize();
        List<Path> jobDirectories = new ArrayList<>();
        if (Files.isRegularFile(base.resolve("config.conf"))) {
            jobDirectories.add(base);
        } else if (Files.isDirectory(base)) {
            try (Stream<Path> entries = Files.list(base)) {
                entries.filter(entry -> entry.getFileName().toString().matches("\\d+")
                                && Files.isRegularFile(entry.resolve("config.conf")))
                        .sorted(Comparator.comparingInt(entry -> Integer.parseInt(entry.getFileName().toString())))
                        .forEach(jobDirectories::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + base, e);
            }
        }
        if (jobDirectories.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "--resume '%s' holds no job to resume: expected a job directory with a config.conf, or a"
                            + " sweep directory with numbered job directories (0/, 1/, ...).", directory));
        }
        String name = experimentName(experiment);
        Map<JobSpec, Path> directories = new LinkedHashMap<>();
        Map<JobSpec, Map<String, Object>> finished = new LinkedHashMap<>();
        for (Path jobDirectory : jobDirectories) {
            String folder = jobDirectory.getFileName().toString();
            int number = jobDirectory.equals(base) ? 0 : Integer.parseInt(folder);
            Map<String, Object> summary = readSummary(jobDirectory);
            if (summary != null && summary.get("experiment") != null && !summary.get("experiment").equals(name)) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "--resume '%s' holds a job of experiment '%s', not '%s'.",
                        directory, summary.get("experiment"), name));
            }
            if (summary != null && summary.get("job") instanceof Number job) {
                number = job.intValue();
            }
            JobSpec spec = new JobSpec(name, number, readOverrides(jobDirectory), readConfig(jobDirectory));
            directories.put(spec, jobDirectory);
            if (summary != null && "FINISHED".equals(summary.get("status"))) {
                finished.put(spec, summary);
            }
        }
        console.printf("Resuming experiment '%s' in %s: %d job%s, %d finished%n", name, base,
                directories.size(), directories.size() == 1 ? "" : "s", finished.size());
        return runAll(directories, finished);
    }

    private List<JobResult> runAll(Map<JobSpec, Path> directories, Map<JobSpec, Map<String, Object>> finished) {
        JobRunner runner = new JobRunner(binder, layout, console);
        List<JobSpec> jobs = new ArrayList<>(directories.keySet());
        List<JobSpec> pending = jobs.stream().filter(job -> !finished.containsKey(job)).toList();
        if (!pending.isEmpty()) {
            checkData(runner, pending.get(0));
        }
        List<JobResult> results = new ArrayList<>();
        for (JobSpec job : jobs) {
            Path directory = directories.get(job);
            if (finished.containsKey(job)) {
                console.printf("%n== Job %d/%d: %s finished before; skipped ==%n", job.number() + 1, jobs.size(), job.method());
                results.add(new JobResult(job, directory, finished.get(job), false));
                continue;
            }
            console.printf("%n== Job %d/%d: %s %s ==%n", job.number() + 1, jobs.size(), job.method(),
                    job.overrides().isEmpty() ? "" : String.join(" ", job.overrides()));
            JobResult result = runner.run(job, jobs.size(), directory);
            if (!result.finished()) {
                console.printf("Job %d failed: %s (details in %s)%n",
                        job.number(), result.summary().get("error"), directory.resolve("error.txt"));
            }
            results.add(result);
        }
        console.println();
        console.print(SummaryTable.render(results));
        return results;
    }

    /** The experiment's name as {@code summary.json} records it. */
    private String experimentName(String experiment) {
        return ExperimentCatalog.nameOf(new ExperimentCatalog(layout.experimentDirs()).find(experiment));
    }

    private static Config readConfig(Path jobDirectory) {
        Path file = jobDirectory.resolve("config.conf");
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "The job's config '%s' cannot be read: %s", file, e.getMessage()), e);
        }
    }

    private static List<String> readOverrides(Path jobDirectory) {
        Path file = jobDirectory.resolve("overrides.txt");
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The job's summary, or null when it has none (it never ended) or it cannot be parsed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> readSummary(Path jobDirectory) {
        Path file = jobDirectory.resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        } catch (IOException e) {
            return null; // a torn summary: run the job again
        }
    }

    /** Fails fast, before anything trains, when the data is not where the dataset looks. */
    private void checkData(JobRunner runner, JobSpec job) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MetricSink ignore = (key, value, step) -> {};
            JobContext context = new JobContext(manager, job.seed(), layout.outputDir(), ignore, binder,
                    layout.dataSearchPath());
            runner.dataset(job.config(), context).getSplit(Split.TRAIN);
        }
    }
}
