package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.job.JobListener;
import org.fadkd.engine.job.JobSession;
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
        checkEverySplit(binder, layout, console, planned.jobs());
        int jobs = planned.jobs().size();
        console.printf("Experiment '%s' is valid: %d job%s, data present.%n",
                planned.jobs().get(0).experiment(), jobs, jobs == 1 ? "" : "s");
        return 0;
    }

    /**
     * Reads every split (train, validation, test) of every distinct dataset the jobs use, so that
     * a missing or corrupt file of any split is a user error before anything trains, not a failed
     * job after the first epoch. Datasets read a split on first use and check its files then.
     * Every split is tried, and every problem reported at once.
     *
     * <p>{@link SweepRunner#checkData} reads the training split only; when it reads every split
     * itself, this becomes {@code sweep.checkData(jobs)}.
     *
     * @throws FadException DATA_MISSING naming each file
     */
    static void checkEverySplit(ComponentBinder binder, ProjectLayout layout, PrintStream console, List<JobSpec> jobs) {
        JobSession session = new JobSession(binder, layout.cacheDir(), layout.dataSearchPath(), console);
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
    }
}
