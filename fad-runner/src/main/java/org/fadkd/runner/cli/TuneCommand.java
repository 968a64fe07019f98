package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tune.TuneRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runner tune --experiment NAME}: choose each method's settings on validation, then test them over seeds. */
@Command(
        name = "tune",
        header = "Tunes each method's settings on validation, then runs them over seeds on test.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Every method gets the same budget: --trials random draws from the search space it declares"
                    + " (fad-spec 12.1; e.g. kd's temperature and alpha), each trained with the experiment's recipe"
                    + " and scored by best_top1, the best epoch's validation accuracy; a method with nothing to tune"
                    + " (none) runs once. The best trial's settings are written to tuned.conf and run with every seed"
                    + " of --seeds, scored once on test; the table compares them with the student trained alone"
                    + " (none), paired by seed with a 95 % interval. Trials and finals are sweeps in"
                    + " tune/<date>/<time>/.",
            "",
            "Examples:",
            "  runner tune --experiment fashion_mnist_quickstart --methods none,kd,fad",
            "  runner tune -e fashion_mnist_quickstart --methods kd --trials 4 --seeds 1,2 trainer.epochs=2",
            "  runner tune -e fashion_mnist_quickstart --resume tune/2026-12-07/21-14-07",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every trial and final job finished",
            "1:a job failed, or an internal error (see --verbose)",
            "2:a user error: unknown experiment or method, bad config, override or search space, missing data"
        })
public final class TuneCommand implements Callable<Integer> {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    @Mixin
    ExperimentOptions options;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD",
            description = "Methods to tune, comma-separated; default: the experiment's (its sweep's method axis).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--trials", paramLabel = "N", defaultValue = "8",
            description = "Random trials per method (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "1,2,3",
            description = "Seeds of the final runs (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--search-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the random search (default ${DEFAULT-VALUE}).")
    long searchSeed;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Go on with the tune in DIR (tune/<date>/<time>) where it stopped: unfinished trials"
                    + " and finals run again, the settings are those DIR/tune.conf recorded.")
    Path resume;

    @Inject
    TuneCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        if (trials < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--trials must be at least 1, got " + trials);
        }
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        try (TrackingSession tracking = RunnerCommand.startTracking(
                sweep.plan(options.experiment, options.overrides).get(0), layout, console)) {
            TuneRunner tune = new TuneRunner(binder, layout, console);
            List<JobResult> results = resume != null
                    ? tune.resume(options.experiment, resume.toAbsolutePath().normalize(), tracking)
                    : tune.run(options.experiment, options.overrides,
                            new TuneRunner.Settings(methods, trials, seeds, searchSeed), tracking);
            return !results.isEmpty() && results.stream().allMatch(JobResult::finished) ? 0 : 1;
        }
    }
}
