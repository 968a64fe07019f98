package org.fadkd.runner.cli;

import org.fadkd.runner.tracking.Redaction;
import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.job.WorkerOptions;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSettings;
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
            "  runner -e fashion_mnist_quickstart trainer.epochs=5 method.temperature=2",
            "  runner -e experiments/my_experiment.conf seed=3",
            "  runner -e fashion_mnist_quickstart -m method=kd,fad seed=1,2      # 4 jobs",
            "  runner -e fashion_mnist_quickstart -m seed='range(1,4)' +trainer.note=x",
            "  runner -e fashion_mnist_quickstart --cfg job --resolve",
            "  runner -e fashion_mnist_quickstart --resume multirun/2026-01-01/10-00-00",
            "  runner evaluate --model outputs/2026-01-01/10-00-00/student -e fashion_mnist_quickstart",
            "  runner select --experiment fashion_mnist_selection [--validate]",
            "",
            "Overrides (Hydra's grammar):",
            "  key=value          set a key; key= sets the empty string",
            "  +key=value         add a new key; ++key=value adds or changes one",
            "  ~key  ~key=value   delete a key (with =value: only if it has that value)",
            "  group=option       choose a config group's option; +group=option, ~group",
            "Values: 'quoted, strings', a\\,b (escaped), [1,2] (a list, replaces), {a:1} (an object, merged).",
            "With -m: a=1,2,3, range(start,stop[,step]), choice(a,b), glob(pattern, exclude=pattern).",
            ""
        },
        subcommands = {DataCommand.class, PrecomputeTeacherCommand.class, ValidateCommand.class, SelectCommand.class,
            TuneCommand.class,
            EvaluateCommand.class, ListCommand.class, ReportCommand.class, SyncCommand.class},
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
    private final WorkerOptions workerOptions;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME|PATH",
            description = "An experiment name from experiments/ or a path to a .conf file.")
    String experiment;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Resume a run or sweep directory of this experiment: finished jobs are skipped, the others"
                    + " continue from their last checkpoint with the config they started with. Takes no overrides.")
    java.nio.file.Path resume;

    @Option(names = {"-m", "--multirun"},
            description = "Run one job per combination of the multi-valued overrides (a=1,2 range() choice() glob())"
                    + " and the experiment's sweep block, the first slowest, in multirun/<date>/<time>/<n>/.")
    boolean multirun;

    @Option(names = "--cfg", paramLabel = "job|all",
            description = "Print the composed config of every job and exit without training: job = what the job uses,"
                    + " all = also the runner's output settings (run, sweep).")
    ConfigPart cfg;

    @Option(names = "--resolve", description = "With --cfg: print the config with substitutions resolved.")
    boolean resolve;

    @Option(names = "--info",
            description = "Print the search path, the experiment's defaults tree and the loaded plugins, and exit.")
    boolean info;

    @Option(names = "--job", paramLabel = "DIR", hidden = true,
            description = "Run exactly one planned job of a sweep, in its directory (what a launcher's worker or"
                    + " a scheduler's task runs). Takes no overrides.")
    java.nio.file.Path job;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Parameters(paramLabel = "OVERRIDE",
            description = "Overrides: a config key (trainer.epochs=5) or a config group (method=kd); see above.")
    List<String> overrides = new ArrayList<>();

    /** What --cfg prints. */
    enum ConfigPart { job, all }

    @Inject
    RunnerCommand(ComponentBinder binder, ProjectLayout layout, PrintStream console, WorkerOptions workerOptions) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
        this.workerOptions = requireNonNull(workerOptions, "workerOptions is null");
    }

    @Override
    public Integer call() {
        if (info) {
            new InfoPrinter(binder, layout, console).print(experiment);
            return 0;
        }
        if (job != null) {
            return runPlannedJob();
        }
        if (experiment == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "Missing required option: '--experiment=NAME|PATH'");
        }
        SweepRunner sweep = new SweepRunner(binder, layout, console, workerOptions);
        if (resume != null) {
            if (!overrides.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--resume takes no overrides: a resumed job keeps the config it started with (its config.conf).");
            }
            try (TrackingSession tracking = startTracking(sweep.recordedTrackingJob(experiment, resume), layout, console)) {
                return sweep.resume(experiment, resume, tracking).stream().allMatch(JobResult::finished) ? 0 : 1;
            }
        }
        SweepRunner.PlannedRun planned = sweep.plan(experiment, overrides, multirun);
        if (cfg != null) {
            printConfigs(planned);
            return 0;
        }
        // Every split's files, before any job trains (the sweep itself checks the training split).
        try (TrackingSession tracking = startTracking(planned.jobs().get(0), layout, console)) {
            List<JobResult> results = sweep.run(planned, tracking);
            return results.stream().allMatch(JobResult::finished) ? 0 : 1;
        }
    }

    /** {@code --job DIR}: one planned job, tracked with the tracking section it recorded. */
    private int runPlannedJob() {
        if (!overrides.isEmpty() || resume != null || multirun || experiment != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--job takes nothing else: the job's directory holds its config (config.conf) and overrides.");
        }
        SweepRunner sweep = new SweepRunner(binder, layout, console, workerOptions);
        JobSpec recorded = new JobSpec("job", 0, List.of(),
                org.fadkd.runner.results.JobDirectory.readConfig(job.toAbsolutePath().normalize()));
        try (TrackingSession tracking = startTracking(recorded, layout, console)) {
            return sweep.runPlannedJob(job, tracking).finished() ? 0 : 1;
        }
    }

    /**
     * One tracking session for the whole run: every job of a sweep shares the {@code tracking}
     * section, so the first job's config says where runs go. Ctrl-C or SIGTERM marks the runs
     * still running KILLED before the JVM exits. Also {@code runner select}'s session.
     */
    static TrackingSession startTracking(JobSpec first, ProjectLayout layout, PrintStream console) {
        TrackingSettings settings = TrackingSettings.from(first.config(), System.getenv(), first.experiment());
        if (settings.isRemote()) {
            console.printf("Tracking to MLflow at %s, experiment '%s'%n", settings.displayUri(), settings.experiment());
        }
        TrackingSession tracking = TrackingSession.start(settings, layout.outputDir(),
                message -> console.println("WARNING: " + message));
        tracking.installShutdownHook();
        return tracking;
    }

    private void printConfigs(SweepRunner.PlannedRun planned) {
        List<JobSpec> jobs = planned.jobs();
        for (int i = 0; i < jobs.size(); i++) {
            JobSpec job = jobs.get(i);
            com.typesafe.config.Config config = resolve ? job.config() : planned.unresolved().get(i);
            if (cfg == ConfigPart.job) {
                // The runner's own output settings are to the job what Hydra's 'hydra' node is.
                config = config.withoutPath("run").withoutPath("sweep");
            }
            if (jobs.size() > 1) {
                console.printf("# Job %d: %s%n", job.number(), Redaction.redact(String.join(" ", job.overrides())));
            }
            console.println(Redaction.redact(config.root().render(com.typesafe.config.ConfigRenderOptions.defaults()
                    .setOriginComments(false).setComments(false).setJson(false))));
        }
    }
}
