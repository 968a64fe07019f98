package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LauncherHost;
import org.fadkd.api.PlannedJob;
import org.fadkd.engine.job.JobSummary;
import org.fadkd.engine.train.StopRequest;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.results.JobDirectory;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * The sweep runner's side of the launcher SPI for one sweep: runs a job in this process as the
 * runner always did, makes the command that runs one in a worker process, and records jobs whose
 * process died without a summary.
 */
final class SweepLauncherHost implements LauncherHost {
    /** The runner's entry point, by name: the job package must not depend on the root package. */
    static final String MAIN_CLASS = "org.fadkd.runner.Main";
    /** The hidden option that runs one planned job ({@code runner --job DIR}). */
    static final String JOB_OPTION = "--job";

    private final ProjectLayout layout;
    private final WorkerOptions workerOptions;
    private final PrintStream console;
    private final Map<PlannedJob, JobSpec> specs;
    private final Function<JobSpec, JobResult> inProcess;
    private final Map<PlannedJob, JobResult> inProcessResults = new ConcurrentHashMap<>();

    /**
     * @param specs every job the launcher is given, with its spec
     * @param inProcess runs a job in this process and returns its result
     */
    SweepLauncherHost(ProjectLayout layout, WorkerOptions workerOptions, PrintStream console,
            Map<PlannedJob, JobSpec> specs, Function<JobSpec, JobResult> inProcess) {
        this.layout = requireNonNull(layout, "layout is null");
        this.workerOptions = requireNonNull(workerOptions, "workerOptions is null");
        this.console = requireNonNull(console, "console is null");
        this.specs = Map.copyOf(specs);
        this.inProcess = requireNonNull(inProcess, "inProcess is null");
    }

    @Override
    public void runInProcess(PlannedJob job) {
        inProcessResults.put(job, inProcess.apply(spec(job)));
    }

    /**
     * The job's result: the one it returned in this process, else what its directory records
     * (a worker's, or a scheduler's); null when it never ran.
     */
    JobResult result(PlannedJob job) {
        JobResult result = inProcessResults.get(job);
        return result != null ? result : JobDirectory.readResult(spec(job), job.directory());
    }

    @Override
    public List<String> jobCommand(PlannedJob job, Map<String, String> systemProperties) {
        spec(job);
        removeStaleSummary(job);
        String javaExecutable = ProcessHandle.current().info().command().orElseThrow(() -> new FadException(
                ErrorCode.INTERNAL, "This JVM does not tell where its java executable is, so no worker can be"
                        + " started for job " + job.number() + ". Run the sweep with launcher.jobs=1."));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable);
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            String property = option.startsWith("-D") ? option.substring(2).split("=", 2)[0] : null;
            // A debugger's port is taken by this JVM; the worker's own settings come below.
            boolean replaced = property != null && (systemProperties.containsKey(property)
                    || property.equals(ProjectLayout.CACHE_PROPERTY) || property.equals(ProjectLayout.DATA_PROPERTY));
            if (!option.startsWith("-agentlib:jdwp") && !replaced) {
                command.add(option);
            }
        }
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-D" + ProjectLayout.CACHE_PROPERTY + "=" + layout.cacheDir().toAbsolutePath());
        command.add("-D" + ProjectLayout.DATA_PROPERTY + "=" + layout.dataSearchPath().stream()
                .map(path -> path.toAbsolutePath().toString()).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        for (Path dir : workerOptions.pluginDirs()) {
            command.add("--plugins-dir");
            command.add(dir.toString());
        }
        for (Path dir : layout.configDirs()) {
            command.add("--config-dir");
            command.add(dir.toAbsolutePath().toString());
        }
        command.add(JOB_OPTION);
        command.add(job.directory().toString());
        return command;
    }

    /** A FAILED summary left by an earlier attempt would pass for this attempt's outcome. */
    private static void removeStaleSummary(PlannedJob job) {
        try {
            Files.deleteIfExists(job.directory().resolve(JobDirectory.SUMMARY_FILE));
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format(
                    "Cannot remove the earlier summary of job %d in '%s': %s", job.number(), job.directory(),
                    e.getMessage()), e);
        }
    }

    @Override
    public Path workingDirectory() {
        return layout.outputDir().toAbsolutePath().normalize();
    }

    @Override
    public synchronized void jobLost(PlannedJob job, boolean killed, String reason) {
        JobSpec spec = spec(job);
        if (JobDirectory.readSummary(job.directory()) != null) {
            return;
        }
        JobSummary summary = new JobSummary(spec.experiment(), spec.number(), spec.method(), spec.teacher(),
                spec.student(), spec.seed(), null, JobSummary.FAILED, reason, Map.of(), Map.of(), Map.of());
        try {
            FileTrees.writeAtomically(job.directory().resolve(JobDirectory.SUMMARY_FILE),
                    Json.MAPPER.writeValueAsString(summary.toJson()));
        } catch (IOException e) {
            console.printf("Warning: job %d's summary could not be written in %s (%s).%n", job.number(),
                    job.directory(), e.getMessage());
        }
        // The worker's run stays RUNNING in its spool when the worker could not say how it ended.
        Path spoolFile = job.directory().resolve(TrackingSpool.FILE_NAME);
        if (Files.isRegularFile(spoolFile)) {
            try (TrackingSpool spool = new TrackingSpool(spoolFile)) {
                spool.status(killed ? "KILLED" : JobSummary.FAILED, reason);
            } catch (RuntimeException e) {
                console.printf("Warning: job %d's tracking run could not be marked %s (%s).%n", job.number(),
                        killed ? "KILLED" : "FAILED", e.getMessage());
            }
        }
    }

    @Override
    public boolean stopRequested() {
        return StopRequest.requested();
    }

    @Override
    public PrintStream console() {
        return console;
    }

    private JobSpec spec(PlannedJob job) {
        JobSpec spec = specs.get(job);
        if (spec == null) {
            throw new IllegalArgumentException("Job " + job.number() + " in " + job.directory()
                    + " is not one of this sweep's planned jobs");
        }
        return spec;
    }
}
