package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.job.SelectionRunner;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.tracking.session.TrackingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runner select --experiment NAME [--validate]}: student selection on its own (fad-spec §10). */
@Command(
        name = "select",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Selects the student of an experiment's job from its selection.candidates without distilling any: obtains"
                    + " the teacher (cached or trained), measures every candidate, drops those over selection.budgets,"
                    + " scores the rest by flow analysis and a short kd warm-up, prints the ranked table and writes"
                    + " selection.json into the run directory (run.dir). One child run per candidate is tracked.",
            "With --validate it then distils every feasible candidate with the experiment's recipe (validate/<i>/) and"
                    + " reports Spearman's rank correlation of score and final top-1 and the cost of selecting as a"
                    + " fraction of distilling them all (validation.json).",
            "Selection belongs to one job: an experiment whose sweep block makes several jobs is refused; override"
                    + " the sweep's axes to one value each.",
            "",
            "Examples:",
            "  runner select --experiment fashion_mnist_selection",
            "  runner select --experiment fashion_mnist_selection selection.proxy.enabled=false",
            "  runner select --experiment fashion_mnist_selection --validate",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the selection (and with --validate every distillation) finished",
            "1:a distillation of --validate failed, or an internal error (see --verbose)",
            "2:a user error: unknown experiment, bad config or override, missing data, no candidate within the budgets"
        })
public final class SelectCommand implements Callable<Integer> {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    @Mixin
    ExperimentOptions options;

    @Option(names = "--validate",
            description = "Also distil every feasible candidate and report how well the selection's ranking held up.")
    boolean validate;

    @Inject
    SelectCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        SweepRunner.PlannedRun planned = sweep.plan(options.experiment, options.overrides, false);
        if (planned.jobs().size() > 1) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("runner select takes one job; experiment"
                    + " '%s' has %d (its sweep block). Override the sweep's axes to one value each, e.g. method=fad.",
                    planned.jobs().get(0).experiment(), planned.jobs().size()));
        }
        sweep.checkData(planned.jobs());
        JobSpec job = planned.jobs().get(0);
        Path directory = SweepRunner.claim(sweep.outputDirectory(job, false));
        console.printf("Selecting the student of experiment '%s', output in %s%n", job.experiment(), directory);
        try (TrackingSession tracking = RunnerCommand.startTracking(job, layout, console)) {
            return new SelectionRunner(binder, layout, console).run(job, directory, tracking, validate) ? 0 : 1;
        }
    }
}
