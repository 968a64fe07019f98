package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.results.JobSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runner validate}: everything a run does before training, and nothing after. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Composes every job of an experiment with the overrides, binds and validates every component section,"
                    + " and reads every split of the data (train, validation, test), without training."
                    + " All problems are reported at once.",
            "",
            "Examples:",
            "  runner validate --experiment fashion_mnist_quickstart",
            "  runner validate --experiment fashion_mnist_quickstart -m method=kd,fad seed=1,2",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every job is valid and its data is present and readable",
            "1:an internal error (see --verbose)",
            "2:a user error: unknown experiment, bad config or override, missing or corrupt data"
        })
public final class ValidateCommand implements Callable<Integer> {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    @Mixin
    ExperimentOptions options;

    @Option(names = {"-m", "--multirun"}, description = "Expand multi-valued overrides into jobs, as a run would.")
    boolean multirun;

    @Inject
    ValidateCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        SweepRunner.PlannedRun planned = sweep.plan(options.experiment, options.overrides, multirun);
        sweep.checkData(planned.jobs());
        int jobs = planned.jobs().size();
        console.printf("Experiment '%s' is valid: %d job%s, data present.%n",
                planned.jobs().get(0).experiment(), jobs, jobs == 1 ? "" : "s");
        return 0;
    }

}
