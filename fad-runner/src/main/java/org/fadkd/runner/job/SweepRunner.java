package org.fadkd.runner.job;

import org.fadkd.runner.tracking.Redaction;
import org.fadkd.runner.results.SummaryTable;

import org.fadkd.runner.results.JobDirectory;

import org.fadkd.runner.results.JobResult;

import org.fadkd.runner.results.JobSpec;

import org.fadkd.engine.job.JobListener;
import org.fadkd.engine.job.JobSession;
import org.fadkd.engine.job.JobSummary;
import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.JobLauncher;
import org.fadkd.api.PlannedJob;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.config.ComposedJob;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.config.ExperimentCatalog;
import org.fadkd.runner.config.JobPlan;
import org.fadkd.runner.config.RunPlan;
import org.fadkd.engine.train.StopRequest;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.runner.report.SweepReport;
import org.fadkd.runner.tracking.session.TrackingSession;

/**
 * Runs an experiment: plans its jobs (the sweep declared in the file and the command-line
 * overrides), composes and validates every job before any trains, checks that the data is there,
 * then hands the jobs to the sweep's launcher ({@code launcher} section: in this process one after
 * another, in worker processes, or a scheduler's), gathers every job's result from its directory
 * and prints the summary table.
 */
public final class SweepRunner {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");
    /** The record a sweep writes in its directory (Hydra's multirun.yaml). */
    private static final String MULTIRUN_RECORD = JobDirectory.MULTIRUN_RECORD;
    /**
     * How long a stopped runner waits for training to reach a step boundary: below the 30 seconds
     * schedulers (SLURM, Kubernetes) leave between SIGTERM and SIGKILL.
     */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(25);

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;
    private final WorkerOptions workerOptions;

    public SweepRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this(binder, layout, console, WorkerOptions.NONE);
    }

    /** @param workerOptions what worker processes started by a launcher must be told besides the JVM's options */
    @Inject
    public SweepRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console, WorkerOptions workerOptions) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
        this.workerOptions = requireNonNull(workerOptions, "workerOptions is null");
    }

    /**
     * Composes and validates every job of the experiment; throws one error listing all problems.
     * A problem shared by every job is reported once; one that only some jobs have names them.
     */
    public List<JobSpec> plan(String experiment, List<String> overrides) {
        return plan(experiment, overrides, false).jobs();
    }

    /**
     * The jobs of one invocation, composed and validated.
     *
     * @param experimentFile the experiment file
     * @param overrides the command line's overrides, as given
     * @param jobs the jobs, in order
     * @param unresolved each job's composed config before substitutions are resolved ({@code --cfg})
     * @param sweep whether it is written as a sweep ({@code multirun/}) or a single run ({@code outputs/})
     */
    public record PlannedRun(Path experimentFile, List<String> overrides, List<JobSpec> jobs,
            List<Config> unresolved, boolean sweep) {
        public PlannedRun {
            overrides = List.copyOf(overrides);
            jobs = List.copyOf(jobs);
            unresolved = List.copyOf(unresolved);
        }
    }

    /**
     * Composes and validates every job; with {@code multirun}, command-line sweeps ({@code a=1,2},
     * {@code range()}, ...) expand into jobs. Throws one error listing all problems.
     */
    public PlannedRun plan(String experiment, List<String> overrides, boolean multirun) {
        Path file = new ExperimentCatalog(layout.experimentDirs()).find(experiment);
        ConfigComposer composer = new ConfigComposer(layout.configDirs());
        JobSections sections = new JobSections(binder, composer);
        RunPlan runPlan = composer.plan(file, overrides, multirun);
        List<JobPlan> plans = runPlan.jobs();
        List<JobSpec> jobs = new ArrayList<>();
        List<Config> unresolved = new ArrayList<>();
        Map<String, List<JobPlan>> problems = new LinkedHashMap<>();
        ErrorCode code = ErrorCode.CONFIG_INVALID;
        for (JobPlan plan : plans) {
            List<String> jobProblems;
            try {
                ComposedJob composed = composer.compose(file, plan.overrides(), sections);
                jobProblems = sections.validate(composed.config());
                if (jobProblems.isEmpty()) {
                    jobs.add(new JobSpec(composed.experimentName(), plan.number(), plan.overrides(), composed.config()));
                    unresolved.add(composed.unresolved());
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
        return new PlannedRun(file, overrides, jobs, unresolved, runPlan.sweep());
    }

    private static String prefix(List<JobPlan> affected) {
        StringBuilder prefix = new StringBuilder(affected.size() == 1 ? "Job " : "Jobs ");
        for (int i = 0; i < affected.size(); i++) {
            JobPlan plan = affected.get(i);
            prefix.append(i == 0 ? "" : ", ").append(plan.number()).append(" ").append(Redaction.redact(String.valueOf(plan.overrides())));
        }
        return prefix.append(": ").toString();
    }

    /**
     * Runs planned jobs and returns their results; a failed job does not stop the others. A single
     * run writes to {@code run.dir}; a sweep writes {@code multirun.conf} to {@code sweep.dir} and
     * each job to {@code sweep.dir/sweep.subdir} (settings of the first job, as in Hydra).
     */
    public List<JobResult> run(PlannedRun planned, TrackingSession tracking) {
        return run(planned, tracking, () -> claim(outputDirectory(planned.jobs().get(0), planned.sweep())));
    }

    /**
     * Runs planned jobs as {@link #run(PlannedRun, TrackingSession)} does, in the directory {@code
     * output} supplies once the data is checked (it claims the directory).
     */
    public List<JobResult> run(PlannedRun planned, TrackingSession tracking, java.util.function.Supplier<Path> output) {
        List<JobSpec> jobs = planned.jobs();
        // The data before anything is written: a run that cannot start leaves no directory behind.
        JobRunner runner = new JobRunner(binder, layout, console);
        checkData(runner.session(), jobs);
        Path base = output.get();
        console.printf("Experiment '%s': %d job%s, output in %s%n",
                jobs.get(0).experiment(), jobs.size(), jobs.size() == 1 ? "" : "s", base);
        Map<JobSpec, Path> directories = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            String subdir = expand(setting(job.config(), "sweep.subdir", "{num}"),
                    Map.of("num", Integer.toString(job.number())));
            directories.put(job, planned.sweep() ? base.resolve(subdir).normalize() : base);
        }
        // Every job's files before the first trains: a resume after a crash finds all of them.
        directories.forEach((job, directory) -> JobRunner.writeJobFiles(job, directory));
        TrackingSession.Sweep parent = null;
        if (planned.sweep()) {
            writeMultirunRecord(base, planned, directories);
            parent = tracking.sweepStarted(base, sweepOverrides(planned.overrides(), jobs), jobs.size());
        }
        return runAll(runner, base, directories, Map.of(), tracking, parent, false);
    }

    /**
     * Creates a new run's output directory atomically. When it is taken (by an earlier run, or by
     * one started in the same second) the first free of {@code NAME-1}, {@code NAME-2}, ... is
     * used instead, so that two runs never share a directory.
     *
     * @throws FadException with OUTPUT_UNWRITABLE when no directory can be created there
     */
    public static Path claim(Path directory) {
        Path candidate = directory;
        try {
            Files.createDirectories(directory.getParent());
            for (int suffix = 1; ; suffix++) {
                try {
                    return Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException taken) {
                    candidate = directory.resolveSibling(directory.getFileName() + "-" + suffix);
                }
            }
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format(
                    "Cannot create the output directory '%s': %s", candidate, IoFailures.describe(e)), e);
        }
    }

    /**
     * Where a run starting now writes: {@code run.dir} of a single run, {@code sweep.dir} of a sweep
     * (the first job's settings, as in Hydra), their {@code {date}}, {@code {time}} and {@code
     * {experiment}} filled in.
     */
    public Path outputDirectory(JobSpec first, boolean sweep) {
        LocalDateTime now = LocalDateTime.now();
        Map<String, String> names = Map.of(
                "date", DATE.format(now), "time", TIME.format(now), "experiment", first.experiment());
        return layout.outputDir().resolve(expand(setting(first.config(), sweep ? "sweep.dir" : "run.dir",
                sweep ? "multirun/{date}/{time}" : "outputs/{date}/{time}"), names));
    }

    /**
     * The overrides that define a sweep, for its parent run: the command line's as written, then
     * each axis of the experiment's own {@code sweep} block as {@code key=a,b}, so that the parent
     * says what varied whichever way it was declared.
     */
    static List<String> sweepOverrides(List<String> commandLine, List<JobSpec> jobs) {
        Set<String> given = new HashSet<>();
        commandLine.forEach(override -> given.add(override.split("=", 2)[0].replaceFirst("^[+~]+", "")));
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (JobSpec job : jobs) {
            for (String override : job.overrides()) {
                String[] parts = override.split("=", 2);
                if (parts.length == 2 && !given.contains(parts[0])) {
                    values.computeIfAbsent(parts[0], key -> new LinkedHashSet<>()).add(parts[1]);
                }
            }
        }
        List<String> overrides = new ArrayList<>(commandLine);
        values.forEach((key, axis) -> {
            if (axis.size() > 1) {
                overrides.add(key + "=" + String.join(",", axis));
            }
        });
        return overrides;
    }

    /** Hydra's multirun.yaml: what was run, so that the sweep directory describes itself. */
    private static void writeMultirunRecord(Path base, PlannedRun planned, Map<JobSpec, Path> directories) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        directories.forEach((job, directory) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("num", job.number());
            entry.put("dir", base.relativize(directory).toString());
            entry.put("overrides", job.overrides().stream().map(Redaction::redact).toList());
            jobs.add(entry);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", planned.jobs().get(0).experiment());
        record.put("experiment-file", planned.experimentFile().toString());
        record.put("overrides", planned.overrides().stream().map(Redaction::redact).toList());
        record.put("jobs", jobs);
        try {
            FileTrees.writeAtomically(base.resolve(MULTIRUN_RECORD),
                    "# Written by the runner: the sweep's experiment, its command-line overrides and its jobs.\n"
                            + ConfigFactory.parseMap(record).root().render(
                                    com.typesafe.config.ConfigRenderOptions.defaults()
                                            .setOriginComments(false).setJson(false)));
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format(
                    "Cannot write the sweep's record '%s': %s", base.resolve(MULTIRUN_RECORD), IoFailures.describe(e)),
                    e);
        }
    }

    private static String setting(Config config, String path, String fallback) {
        return config.hasPath(path) ? config.getString(path) : fallback;
    }

    /** Replaces {name} placeholders. */
    private static String expand(String template, Map<String, String> names) {
        String result = template;
        for (Map.Entry<String, String> name : names.entrySet()) {
            result = result.replace("{" + name.getKey() + "}", name.getValue());
        }
        return result;
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
    public List<JobResult> resume(String experiment, Path directory, TrackingSession tracking) {
        Path base = directory.toAbsolutePath().normalize();
        String name = experimentName(experiment);
        Map<JobSpec, Path> directories = Files.isRegularFile(base.resolve(MULTIRUN_RECORD))
                ? listedJobs(base, name)
                : startedJobs(base, name);
        if (directories.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "--resume '%s' holds no job to resume: expected a job directory with a config.conf, or a"
                            + " sweep directory with numbered job directories (0/, 1/, ...).", directory));
        }
        Map<JobSpec, JobSummary> finished = new LinkedHashMap<>();
        directories.forEach((spec, jobDirectory) -> {
            JobSummary summary = JobDirectory.readSummary(jobDirectory);
            if (summary != null && summary.finished()) {
                finished.put(spec, summary);
            }
        });
        JobRunner runner = new JobRunner(binder, layout, console);
        checkData(runner.session(), directories.keySet().stream().filter(job -> !finished.containsKey(job)).toList());
        console.printf("Resuming experiment '%s' in %s: %d job%s, %d finished%n", name, base,
                directories.size(), directories.size() == 1 ? "" : "s", finished.size());
        // A resumed sweep keeps its parent run: sweepStarted finds the run line in its spool.
        TrackingSession.Sweep parent = Files.isRegularFile(base.resolve(MULTIRUN_RECORD))
                ? tracking.sweepStarted(base, sweepOverrides(
                        ConfigFactory.parseFile(base.resolve(MULTIRUN_RECORD).toFile()).getStringList("overrides"),
                        List.copyOf(directories.keySet())), directories.size())
                : null;
        return runAll(runner, base, directories, finished, tracking, parent, true);
    }

    /**
     * The job whose {@code tracking} section a resume of {@code directory} tracks with: the first
     * started job's, as its {@code config.conf} recorded it, so that a resumed run logs to the
     * server and the MLflow runs it logged to before, whatever the experiment file says now.
     * Without a started job, the experiment's first job as planned now.
     */
    public JobSpec recordedTrackingJob(String experiment, Path directory) {
        List<Path> started = JobDirectory.find(directory);
        if (started.isEmpty()) {
            return plan(experiment, List.of()).get(0);
        }
        Path first = started.get(0);
        return new JobSpec(experimentName(experiment), JobDirectory.number(first, JobDirectory.readSummary(first)),
                JobDirectory.readOverrides(first), JobDirectory.readConfig(first));
    }

    /**
     * The jobs a sweep's {@code multirun.conf} lists, in its order, each read from the files it
     * wrote when the sweep started. A job listed without them (a sweep started by an earlier
     * version, which wrote them only when the job began) is composed again from the experiment
     * file and the overrides the record gives it, so that no job of the sweep is dropped.
     */
    private Map<JobSpec, Path> listedJobs(Path base, String name) {
        Config record = ConfigFactory.parseFile(base.resolve(MULTIRUN_RECORD).toFile());
        if (!name.equals(record.getString("experiment"))) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "--resume '%s' holds a sweep of experiment '%s', not '%s'.", base, record.getString("experiment"),
                    name));
        }
        Map<JobSpec, Path> directories = new LinkedHashMap<>();
        for (Config entry : record.getConfigList("jobs")) {
            Path jobDirectory = base.resolve(entry.getString("dir")).normalize();
            List<String> overrides = entry.getStringList("overrides");
            JobSpec spec;
            if (Files.isRegularFile(jobDirectory.resolve(JobDirectory.CONFIG_FILE))) {
                spec = new JobSpec(name, entry.getInt("num"), overrides, JobDirectory.readConfig(jobDirectory));
            } else {
                Path file = Path.of(record.getString("experiment-file"));
                spec = new JobSpec(name, entry.getInt("num"), overrides, composeAgain(
                        Files.isRegularFile(file) ? file : new ExperimentCatalog(layout.experimentDirs()).find(name),
                        overrides));
                JobRunner.writeJobFiles(spec, jobDirectory);
            }
            directories.put(spec, jobDirectory);
        }
        return directories;
    }

    /** The jobs that wrote their files, in a run's directory or a sweep's without its record. */
    private Map<JobSpec, Path> startedJobs(Path base, String name) {
        Map<JobSpec, Path> directories = new LinkedHashMap<>();
        for (Path jobDirectory : JobDirectory.find(base)) {
            JobSummary summary = JobDirectory.readSummary(jobDirectory);
            if (summary != null && !summary.experiment().equals(name)) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "--resume '%s' holds a job of experiment '%s', not '%s'.", base, summary.experiment(), name));
            }
            directories.put(new JobSpec(name, JobDirectory.number(jobDirectory, summary),
                    JobDirectory.readOverrides(jobDirectory), JobDirectory.readConfig(jobDirectory)), jobDirectory);
        }
        return directories;
    }

    /** One job's config composed from its experiment file and overrides, and validated. */
    private Config composeAgain(Path experimentFile, List<String> overrides) {
        ConfigComposer composer = new ConfigComposer(layout.configDirs());
        ComposedJob composed = composer.compose(experimentFile, overrides, new JobSections(binder, composer));
        List<String> problems = new JobSections(binder, composer).validate(composed.config());
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, ComponentBinder.HEADING, problems);
        }
        return composed.config();
    }

    /**
     * Runs the jobs not yet finished through the sweep's launcher (the first job's {@code
     * launcher} section), gathers every job's result, closes the sweep's parent run, prints the
     * summary table and writes the report into {@code base}.
     */
    private List<JobResult> runAll(JobRunner runner, Path base, Map<JobSpec, Path> directories,
            Map<JobSpec, JobSummary> finished, TrackingSession tracking, TrackingSession.Sweep parent,
            boolean resume) {
        List<JobSpec> jobs = new ArrayList<>(directories.keySet());
        Map<PlannedJob, JobSpec> toRun = new LinkedHashMap<>();
        Thread stopHook = installStopHook();
        try {
            for (JobSpec job : jobs) {
                if (finished.containsKey(job)) {
                    console.printf("%n== Job %d/%d: %s finished before; skipped ==%n", job.number() + 1, jobs.size(),
                            job.method());
                } else {
                    toRun.put(new PlannedJob(job.number(), directories.get(job), job.overrides().stream()
                            .map(Redaction::redact).toList()), job);
                }
            }
            SweepLauncherHost host = new SweepLauncherHost(layout, workerOptions, console, toRun,
                    job -> runInProcess(runner, job, jobs.size(), directories.get(job), tracking, parent, resume));
            if (!toRun.isEmpty()) {
                createLauncher(runner, jobs.get(0)).launch(List.copyOf(toRun.keySet()), host);
            }
            // Every result from where the job left it, whichever launcher ran it; jobs never started have none.
            Map<JobSpec, PlannedJob> plannedOf = new LinkedHashMap<>();
            toRun.forEach((planned, job) -> plannedOf.put(job, planned));
            List<JobResult> results = new ArrayList<>();
            PlannedJob firstNotRun = null;
            for (JobSpec job : jobs) {
                PlannedJob planned = plannedOf.get(job);
                JobResult result = planned == null
                        ? new JobResult(job, directories.get(job), finished.get(job), false)
                        : host.result(planned);
                if (result != null) {
                    results.add(result);
                } else if (firstNotRun == null) {
                    firstNotRun = planned;
                }
            }
            if (firstNotRun != null && StopRequest.requested()) {
                console.printf("Stopped before job %d; 'runner --experiment %s --resume %s' runs the rest.%n",
                        firstNotRun.number(), jobs.get(0).experiment(), base);
            }
            finish(base, results, parent);
            return results;
        } finally {
            StopRequest.stopped();
            removeStopHook(stopHook);
        }
    }

    /** One job in this process, as sweeps always ran: its heading, the job, and a line if it failed. */
    private JobResult runInProcess(JobRunner runner, JobSpec job, int jobCount, Path directory,
            TrackingSession tracking, TrackingSession.Sweep parent, boolean resume) {
        console.printf("%n== Job %d/%d: %s %s ==%n", job.number() + 1, jobCount, job.method(),
                job.overrides().isEmpty() ? "" : Redaction.redact(String.join(" ", job.overrides())));
        JobResult result = runner.run(job, jobCount, directory, tracking, parent, resume);
        if (!result.finished()) {
            console.printf("Job %d/%d failed: %s%s%n", job.number() + 1, jobCount, result.summary().error(),
                    Files.isRegularFile(directory.resolve("error.txt"))
                            ? " (details in " + directory.resolve("error.txt") + ")" : "");
        }
        return result;
    }

    /**
     * The sweep's launcher, from its first job's {@code launcher} section (Hydra's rule). A job
     * directory written before launchers existed has none: its jobs run in this process.
     */
    private JobLauncher createLauncher(JobRunner runner, JobSpec first) {
        Config section = first.config().hasPath("launcher")
                ? first.config().getConfig("launcher")
                : ConfigFactory.parseMap(Map.of("type", "local"));
        try (NDManager manager = NDManager.newBaseManager()) {
            return binder.create(ComponentKind.LAUNCHER, "launcher", section,
                    runner.session().context(manager, first.seed(), layout.outputDir(), JobListener.NONE));
        }
    }

    /**
     * Runs exactly one planned job of a sweep in this process ({@code runner --job DIR}), as a
     * worker process or a scheduler's task does: the job is read from its directory ({@code
     * config.conf}, {@code overrides.txt}) and from the {@code multirun.conf} of the sweep that
     * lists it, and continues from its checkpoint when it has one. Its run is tracked as a child of
     * the sweep's parent run, which the sweep's own runner opened and closes.
     *
     * @return the job's result, recorded in its directory
     * @throws FadException with CONFIG_INVALID when no sweep above {@code directory} lists it
     */
    public JobResult runPlannedJob(Path directory, TrackingSession tracking) {
        Path jobDirectory = directory.toAbsolutePath().normalize();
        Listing listing = listingOf(jobDirectory);
        JobSpec spec = new JobSpec(listing.experiment(), listing.number(), JobDirectory.readOverrides(jobDirectory),
                JobDirectory.readConfig(jobDirectory));
        JobRunner runner = new JobRunner(binder, layout, console);
        boolean resume = Files.isDirectory(jobDirectory.resolve("checkpoint"));
        Thread stopHook = installStopHook();
        try {
            console.printf("== Job %d/%d of %s: %s %s ==%n", spec.number() + 1, listing.jobCount(), listing.sweep(),
                    spec.method(), Redaction.redact(String.join(" ", spec.overrides())));
            JobResult result = runner.run(spec, listing.jobCount(), jobDirectory, tracking,
                    tracking.sweepJoined(listing.sweep()), resume);
            console.printf("Job %d %s%s%n", spec.number(), result.summary().status(),
                    result.finished() ? "" : ": " + result.summary().error());
            return result;
        } finally {
            StopRequest.stopped();
            removeStopHook(stopHook);
        }
    }

    /** Where a planned job stands in its sweep, as the sweep's {@code multirun.conf} lists it. */
    private record Listing(Path sweep, String experiment, int number, int jobCount) {}

    /** The sweep above {@code jobDirectory} whose record lists it, nearest first. */
    private static Listing listingOf(Path jobDirectory) {
        for (Path sweep = jobDirectory.getParent(); sweep != null; sweep = sweep.getParent()) {
            Path recordFile = sweep.resolve(MULTIRUN_RECORD);
            if (!Files.isRegularFile(recordFile)) {
                continue;
            }
            Config record = ConfigFactory.parseFile(recordFile.toFile());
            List<? extends Config> listed = record.getConfigList("jobs");
            for (Config entry : listed) {
                if (sweep.resolve(entry.getString("dir")).normalize().equals(jobDirectory)) {
                    return new Listing(sweep, record.getString("experiment"), entry.getInt("num"), listed.size());
                }
            }
        }
        throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                "--job '%s' is not a planned job of a sweep: no %s above it lists it. --job runs one job of a"
                        + " sweep the runner planned (its launcher passes the directory); use --resume DIR to run"
                        + " a run or sweep again.", jobDirectory, MULTIRUN_RECORD));
    }

    /**
     * A SIGTERM or Ctrl-C asks the jobs to stop at their next step boundary and waits (a while)
     * until they did: a JVM that exits while libtorch computes crashes in native code. The
     * tracking session's own hook marks the runs KILLED meanwhile.
     */
    private Thread installStopHook() {
        Thread hook = new Thread(() -> {
            StopRequest.request("the runner was stopped (SIGTERM or Ctrl-C)");
            StopRequest.awaitStopped(STOP_GRACE);
        }, "stop-at-step-boundary");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeStopHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it returns once StopRequest.stopped() was called.
        }
    }

    /** Closes the sweep's parent run, prints the summary table and writes the report. */
    private void finish(Path base, List<JobResult> results, TrackingSession.Sweep parent) {
        if (parent != null) {
            try {
                parent.finished(results);
            } catch (UncheckedIOException e) {
                console.printf("Warning: the sweep's results could not be recorded in its tracking spool (%s).%n",
                        IoFailures.describe(e));
            }
        }
        console.println();
        console.print(SummaryTable.render(results));
        writeReport(base, results);
    }

    /**
     * Writes {@code report.html} into the run or sweep directory and prints its path. The jobs'
     * results are already on disk, so a report that cannot be written is a warning, not a failed
     * run: {@code runner report DIR} can write it later.
     */
    private void writeReport(Path base, List<JobResult> results) {
        Path file = base.resolve(SweepReport.FILE_NAME);
        try {
            console.printf("Report: %s%n", SweepReport.of(base, results).write(file));
        } catch (IOException | RuntimeException e) {
            console.printf("Warning: the report could not be written to %s (%s); try 'runner report %s'.%n",
                    file, e, base);
        }
    }

    /** The experiment's name as {@code summary.json} records it. */
    private String experimentName(String experiment) {
        return ExperimentCatalog.nameOf(new ExperimentCatalog(layout.experimentDirs()).find(experiment));
    }

    /**
     * Checks that every dataset the jobs use is present and readable, without training: every split
     * (train, validation, test) of each distinct data section is read, and all unreadable files are
     * reported at once.
     *
     * @throws FadException with DATA_MISSING listing each problem
     */
    public void checkData(List<JobSpec> jobs) {
        checkData(new JobRunner(binder, layout, console).session(), jobs);
    }

    private void checkData(JobSession session, List<JobSpec> jobs) {
        Set<Object> seen = new HashSet<>();
        Set<String> problems = new LinkedHashSet<>();
        ErrorCode code = ErrorCode.DATA_MISSING;
        for (JobSpec job : jobs) {
            if (!seen.add(job.config().getValue("data").unwrapped())) {
                continue;
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                LabeledDataset dataset = session.dataset(job.config(),
                        session.context(manager, job.seed(), layout.outputDir(), JobListener.NONE));
                for (Split split : Split.values()) {
                    try {
                        dataset.getSplit(split);
                    } catch (FadException e) {
                        problems.addAll(e.getProblems());
                        code = e.getErrorCode();
                    }
                }
            } catch (FadException e) {
                problems.addAll(e.getProblems());
                code = e.getErrorCode();
            }
        }
        if (!problems.isEmpty()) {
            throw new FadException(problems.size() == 1 ? code : ErrorCode.DATA_MISSING,
                    "Missing or unreadable data:", List.copyOf(problems));
        }
        checkPretrainedModels(session, jobs);
    }

    /**
     * Checks every teacher and student that brings its weights from a file (a TorchScript module)
     * against its job's task before anything is written: building its block loads the file and runs
     * one sample through it, so a wrong file, class count, input shape or tap name is reported here,
     * all at once, instead of failing every job.
     *
     * @throws FadException with the first problem's code, listing each problem
     */
    private void checkPretrainedModels(JobSession session, List<JobSpec> jobs) {
        Set<Object> seen = new HashSet<>();
        Set<String> problems = new LinkedHashSet<>();
        ErrorCode code = null;
        for (JobSpec job : jobs) {
            for (String role : List.of("teacher", "student")) {
                if (!job.config().hasPath(role)
                        || !seen.add(List.of(job.config().getValue(role).unwrapped(), job.config().getValue("data").unwrapped()))) {
                    continue;
                }
                try (NDManager manager = NDManager.newBaseManager()) {
                    var context = session.context(manager, job.seed(), layout.outputDir(), JobListener.NONE);
                    Architecture architecture = session.binder().create(ComponentKind.ARCHITECTURE, role,
                            job.config().getConfig(role), context);
                    if (architecture.getPretrainedWeights().isPresent()) {
                        LabeledDataset dataset = session.dataset(job.config(), context);
                        architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount());
                    }
                } catch (FadException e) {
                    problems.addAll(e.getProblems());
                    code = code == null ? e.getErrorCode() : code;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new FadException(code, "A pretrained model does not fit its job:", List.copyOf(problems));
        }
    }
}
