package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.ProjectLayout;
import org.fadkd.runner.job.JobResult;
import org.fadkd.runner.job.JobSpec;
import org.fadkd.runner.job.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner --experiment NAME [key=value ...]}: runs an experiment's job or sweep. */
@Command(
        name = "runner",
        mixinStandardHelpOptions = true,
        version = "FAD runner 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Distils students from a teacher as an experiment file says, and reports what compression bought.",
            "",
            "Examples:",
            "  runner --experiment fashion_mnist_quickstart",
            "  runner --experiment fashion_mnist_quickstart trainer.epochs=5 method.temperature=2",
            "  runner --experiment experiments/my_experiment.conf seed=3",
            "  runner --experiment fashion_mnist_quickstart --resume outputs/multirun/2026-01-01/10-00-00",
            ""
        },
        subcommands = {DataCommand.class, PrecomputeTeacherCommand.class, ListCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every job finished",
            "1:a job failed, or an internal error (see --verbose)",
            "2:a user error: unknown experiment, bad config or override, missing data"
        })
public final class RunnerCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME|PATH",
            description = "An experiment name from experiments/ or a path to a .conf file.")
    String experiment;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Resume a run or sweep directory of this experiment: finished jobs are skipped, the others"
                    + " continue from their last checkpoint with the config they started with. Takes no overrides.")
    java.nio.file.Path resume;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Parameters(paramLabel = "KEY=VALUE",
            description = "Overrides: a config key (trainer.epochs=5) or a config group (method=kd).")
    List<String> overrides = new ArrayList<>();

    @Inject
    RunnerCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        if (experiment == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "Missing required option: '--experiment=NAME|PATH'");
        }
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        if (resume != null) {
            if (!overrides.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--resume takes no overrides: a resumed job keeps the config it started with (its config.conf).");
            }
            return sweep.resume(experiment, resume).stream().allMatch(JobResult::finished) ? 0 : 1;
        }
        List<JobSpec> jobs = sweep.plan(experiment, overrides);
        List<JobResult> results = sweep.run(jobs);
        return results.stream().allMatch(JobResult::finished) ? 0 : 1;
    }
}
