package org.fadkd.runner.tune;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.job.SweepRunner;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.tracking.Redaction;
import org.fadkd.runner.tracking.session.TrackingSession;

/**
 * {@code runner tune} (fad-spec §12.1): an equal-budget random search per method over the
 * settings its {@linkplain org.fadkd.api.ComponentFactory#getSearchSpace search space} declares,
 * scored on validation ({@code best_top1}), then the chosen settings over several seeds, scored
 * once on test, beside the student trained alone when {@code none} is among the methods. Trials and
 * finals are sweeps of the runner's own ({@code trials/}, {@code final/}), so each trial is a child
 * run in tracking and a job directory that {@code --resume} and {@code runner report} read; the
 * choice is written to {@code tuned.conf}.
 */
public final class TuneRunner {
    /** What a trial is scored by: the best epoch's validation accuracy, never the test split. */
    public static final String SCORE = "best_top1";
    private static final String TRIALS = "trials";
    private static final String FINALS = "final";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd/HH-mm-ss");

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    public TuneRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * How to tune.
     *
     * @param methods the methods to tune, in order; empty: the experiment's own (its sweep's)
     * @param trials random trials per method with a search space (a method without one gets one)
     * @param seeds the seeds of the final runs
     * @param searchSeed the seed of the random search
     */
    public record Settings(List<String> methods, int trials, List<Long> seeds, long searchSeed) {
        public Settings {
            methods = List.copyOf(methods);
            seeds = List.copyOf(seeds);
            if (trials < 1 || seeds.isEmpty()) {
                throw new IllegalArgumentException("at least one trial and one seed");
            }
        }
    }

    /** A method's chosen settings: the overrides of its best trial and that trial's validation score. */
    public record Choice(String method, List<String> overrides, double score, int trials) {}

    /** What a tune directory records before its first trial, so that {@link #resume} can go on. */
    static final String RECORD = "tune.conf";

    /**
     * Tunes and runs the finals; returns the final jobs' results (empty when no method had a trial
     * that finished).
     */
    public List<JobResult> run(String experiment, List<String> overrides, Settings settings, TrackingSession tracking) {
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        Settings resolved = settings.methods().isEmpty()
                ? new Settings(experimentMethods(sweep, experiment, overrides), settings.trials(), settings.seeds(),
                        settings.searchSeed())
                : settings;
        List<List<String>> trials = trials(overrides, resolved);
        Path directory = SweepRunner.claim(layout.outputDir().resolve("tune").resolve(
                STAMP.format(LocalDateTime.now())));
        writeRecord(directory, experiment, overrides, resolved);
        console.printf("Tuning experiment '%s' in %s: %d trials, scored on validation (%s)%n", experiment, directory,
                trials.size(), SCORE);
        List<JobResult> trialResults = sweep.run(plan(sweep, experiment, overrides, trials), tracking,
                () -> SweepRunner.claim(directory.resolve(TRIALS)));
        return chooseAndRunFinals(sweep, experiment, overrides, resolved, directory, trialResults, tracking);
    }

    /**
     * Goes on with a tune that stopped (a crash, a kill, a failed job): its trials resume as a
     * sweep resumes (finished trials are kept), the choice is made again from all of them, and the
     * finals resume where they stopped, or start. The settings are the ones {@code tune.conf}
     * recorded, whatever the command line says now.
     *
     * @throws FadException with CONFIG_INVALID when {@code directory} is not a tune directory of
     *     {@code experiment}
     */
    public List<JobResult> resume(String experiment, Path directory, TrackingSession tracking) {
        Path record = directory.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("--resume '%s' is not a directory runner tune"
                    + " wrote: it has no %s. Pass the tune/<date>/<time> directory its first lines named.",
                    directory, RECORD));
        }
        Config recorded = ConfigFactory.parseFile(record.toFile());
        if (!recorded.getString("experiment").equals(experiment)) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "--resume '%s' tuned experiment '%s', not '%s'.", directory, recorded.getString("experiment"),
                    experiment));
        }
        List<String> overrides = recorded.getStringList("overrides");
        overrides.stream().filter(override -> override.contains("://" + Redaction.USER_INFO + "@")).findFirst()
                .ifPresent(override -> {
                    throw new FadException(ErrorCode.CONFIG_INVALID, String.format("--resume '%s': the tune was"
                            + " started with credentials in an override (%s), which %s does not keep. Give them"
                            + " through the environment (see README, Tracking) and start the tune again.",
                            directory, override, RECORD));
                });
        Settings settings = new Settings(recorded.getStringList("methods"), recorded.getInt("trials-per-method"),
                recorded.getLongList("seeds"), recorded.getLong("search-seed"));
        SweepRunner sweep = new SweepRunner(binder, layout, console);
        List<JobResult> trialResults = Files.isDirectory(directory.resolve(TRIALS))
                ? sweep.resume(experiment, directory.resolve(TRIALS), tracking)
                : sweep.run(plan(sweep, experiment, overrides, trials(overrides, settings)), tracking,
                        () -> SweepRunner.claim(directory.resolve(TRIALS)));
        return chooseAndRunFinals(sweep, experiment, overrides, settings, directory, trialResults, tracking);
    }

    /** Every trial's overrides: per method, its draws from its search space (one trial when it has none). */
    private List<List<String>> trials(List<String> overrides, Settings settings) {
        Random random = new Random(settings.searchSeed());
        List<List<String>> trials = new ArrayList<>();
        for (String method : settings.methods()) {
            SearchSpace space = SearchSpace.of("method",
                    binder.getRegistry().getFactory(ComponentKind.METHOD, method).getSearchSpace(),
                    "method '" + method + "'");
            int count = space.isEmpty() ? 1 : settings.trials();
            console.printf("Method '%s': %s%n", method, space.isEmpty() ? "nothing to tune, one trial with its defaults"
                    : count + " random trials over " + String.join(", ", space.keys()));
            for (int i = 0; i < count; i++) {
                List<String> trial = new ArrayList<>(overrides);
                trial.add("method=" + method);
                trial.addAll(space.draw(random));
                trials.add(trial);
            }
        }
        return trials;
    }

    private List<JobResult> chooseAndRunFinals(SweepRunner sweep, String experiment, List<String> overrides,
            Settings settings, Path directory, List<JobResult> trialResults, TrackingSession tracking) {
        Map<String, Choice> choices = choose(settings.methods(), trialResults);
        writeChoices(directory, experiment, overrides, settings, choices);
        if (choices.isEmpty()) {
            console.println("No trial finished: nothing was chosen.");
            return List.of();
        }
        console.printf("%nThe chosen settings over seeds %s, scored once on test:%n", settings.seeds());
        if (Files.isDirectory(directory.resolve(FINALS))) {
            return sweep.resume(experiment, directory.resolve(FINALS), tracking);
        }
        List<List<String>> finals = new ArrayList<>();
        for (Choice choice : choices.values()) {
            for (long seed : settings.seeds()) {
                List<String> job = new ArrayList<>(choice.overrides());
                job.add("seed=" + seed);
                finals.add(job);
            }
        }
        return sweep.run(plan(sweep, experiment, overrides, finals), tracking,
                () -> SweepRunner.claim(directory.resolve(FINALS)));
    }

    /** {@code tune.conf}: the experiment, overrides and settings, written before the first trial. */
    private static void writeRecord(Path directory, String experiment, List<String> overrides, Settings settings) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", experiment);
        // as multirun.conf does: credentials in a URL are not written to disk
        record.put("overrides", overrides.stream().map(Redaction::redact).toList());
        record.put("methods", settings.methods());
        record.put("trials-per-method", settings.trials());
        record.put("seeds", settings.seeds());
        record.put("search-seed", settings.searchSeed());
        try {
            FileTrees.writeAtomically(directory.resolve(RECORD), "# Written by runner tune before its first trial:"
                    + " what 'runner tune --resume' goes on with.\n" + ConfigFactory.parseMap(record).root().render(
                            ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
        } catch (IOException e) {
            throw new FadException(ErrorCode.OUTPUT_UNWRITABLE, String.format("Cannot write %s (%s).",
                    directory.resolve(RECORD), IoFailures.describe(e)), e);
        }
    }

    /** The methods an experiment sweeps over (its sweep block's {@code method} axis), else its method. */
    private static List<String> experimentMethods(SweepRunner sweep, String experiment, List<String> overrides) {
        return sweep.plan(experiment, overrides, true).jobs().stream().map(JobSpec::method).distinct().toList();
    }

    /** One sweep of the given jobs, each composed and validated on its own. */
    private static SweepRunner.PlannedRun plan(SweepRunner sweep, String experiment, List<String> common,
            List<List<String>> jobs) {
        List<JobSpec> specs = new ArrayList<>();
        List<com.typesafe.config.Config> unresolved = new ArrayList<>();
        Path file = null;
        for (List<String> overrides : jobs) {
            SweepRunner.PlannedRun one = sweep.plan(experiment, overrides, false);
            if (one.jobs().size() != 1) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format("Experiment '%s' with %s makes %d jobs;"
                        + " runner tune needs one per trial. Override its sweep's axes to one value each.",
                        experiment, overrides, one.jobs().size()));
            }
            JobSpec job = one.jobs().get(0);
            specs.add(new JobSpec(job.experiment(), specs.size(), overrides, job.config()));
            unresolved.add(one.unresolved().get(0));
            file = one.experimentFile();
        }
        return new SweepRunner.PlannedRun(file, common, specs, unresolved, true);
    }

    /** Per method, its finished trial with the highest validation score; the first of equal ones. */
    private Map<String, Choice> choose(List<String> methods, List<JobResult> trials) {
        Map<String, Choice> choices = new LinkedHashMap<>();
        for (String method : methods) {
            List<JobResult> own = trials.stream().filter(trial -> trial.spec().method().equals(method)).toList();
            JobResult best = null;
            for (JobResult trial : own) {
                Double score = trial.finished() ? trial.summary().metric(SCORE) : null;
                if (score != null && (best == null || score > best.summary().metric(SCORE))) {
                    best = trial;
                }
            }
            if (best == null) {
                console.printf("Method '%s': no trial finished; it is left out of the finals.%n", method);
                continue;
            }
            // The trial's overrides: the command line's, the method, the drawn settings.
            List<String> chosen = best.spec().overrides();
            choices.put(method, new Choice(method, chosen, best.summary().metric(SCORE), own.size()));
            console.printf("Method '%s': chose job %d (validation %s %.4f): %s%n", method, best.spec().number(),
                    SCORE, best.summary().metric(SCORE), Redaction.redact(String.join(" ", chosen)));
        }
        return choices;
    }

    /** {@code tuned.conf}: what was chosen, and the command that runs it again. */
    private void writeChoices(Path directory, String experiment, List<String> common, Settings settings,
            Map<String, Choice> choices) {
        Map<String, Object> methods = new LinkedHashMap<>();
        choices.forEach((method, choice) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("overrides", choice.overrides().stream().map(Redaction::redact).toList());
            entry.put("validation-" + SCORE.replace('_', '-'), choice.score());
            entry.put("trials", choice.trials());
            entry.put("command", "runner --experiment " + experiment + " -m "
                    + Redaction.redact(String.join(" ", choice.overrides())) + " seed=" + join(settings.seeds()));
            methods.put(method, entry);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("experiment", experiment);
        record.put("overrides", common.stream().map(Redaction::redact).toList());
        record.put("trials-per-method", settings.trials());
        record.put("search-seed", settings.searchSeed());
        record.put("methods", methods);
        Path file = directory.resolve("tuned.conf");
        try {
            FileTrees.writeAtomically(file, "# Written by runner tune: per method, the settings of its trial best on"
                    + " validation (" + SCORE + ").\n" + ConfigFactory.parseMap(record).root().render(
                            ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
            console.printf("Chosen settings: %s%n", file);
        } catch (IOException e) {
            console.printf("Warning: the chosen settings could not be written to %s (%s).%n", file,
                    IoFailures.describe(e));
        }
    }

    private static String join(List<Long> seeds) {
        return String.join(",", seeds.stream().map(String::valueOf).toList());
    }
}
