package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.job.TeacherFlowPrecompute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code runner precompute-teacher --experiment NAME [key=value ...]}: fills the teacher and
 * teacher-flow caches of an experiment's first job, so that its runs start distilling at once.
 */
@Command(name = "precompute-teacher", mixinStandardHelpOptions = true, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Obtain the teacher of an experiment's first job (trained, or from the cache) and compute its mean",
            "flow profile into the teacher-flow cache (fad-spec 9), or confirm that a matching entry exists.",
            "",
            "Examples:",
            "  runner precompute-teacher --experiment fashion_mnist_quickstart method=fad",
            "  runner precompute-teacher --experiment fashion_mnist_quickstart method=fad teacher-flow.batches=50",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the profile is in the cache",
            "1:an internal error (see --verbose)",
            "2:a user error: unknown experiment, bad config or override, missing data, a method without flow"
        })
public final class PrecomputeTeacherCommand implements Callable<Integer> {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    @Mixin
    ExperimentOptions options;

    @Inject
    PrecomputeTeacherCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        List<JobSpec> jobs = new SweepRunner(binder, layout, console).plan(options.experiment, options.overrides);
        JobSpec job = jobs.get(0);
        console.printf("Experiment '%s', job 1/%d: method '%s', teacher '%s'%s%n", job.experiment(), jobs.size(),
                job.method(), job.teacher(),
                job.overrides().isEmpty() ? "" : " (" + String.join(" ", job.overrides()) + ")");
        TeacherFlowCache.Outcome outcome = new TeacherFlowPrecompute(binder, layout, console).run(job);
        boolean upToDate = outcome.fromCache() && (outcome.logits() == null || outcome.logitsFromCache());
        console.println(upToDate
                ? "The teacher flow cache was already up to date; nothing was computed."
                : outcome.logits() != null
                        ? "The teacher flow profile and the teacher logits are now cached."
                        : "The teacher flow profile is now cached.");
        return 0;
    }
}
