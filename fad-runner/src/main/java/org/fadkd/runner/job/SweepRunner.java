package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        JobRunner runner = new JobRunner(binder, layout, console);
        checkData(runner, jobs.get(0));
        LocalDateTime now = LocalDateTime.now();
        boolean sweep = jobs.size() > 1 || !jobs.get(0).overrides().isEmpty();
        Path base = layout.outputDir()
                .resolve(sweep ? "multirun" : "outputs")
                .resolve(DATE.format(now))
                .resolve(TIME.format(now));
        console.printf("Experiment '%s': %d job%s, output in %s%n",
                jobs.get(0).experiment(), jobs.size(), jobs.size() == 1 ? "" : "s", base);
        List<JobResult> results = new ArrayList<>();
        for (JobSpec job : jobs) {
            Path directory = sweep ? base.resolve(Integer.toString(job.number())) : base;
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
