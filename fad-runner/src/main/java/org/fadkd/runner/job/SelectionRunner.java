package org.fadkd.runner.job;

import org.fadkd.runner.results.SummaryTable;

import org.fadkd.runner.results.JobResult;

import org.fadkd.runner.results.JobSpec;

import org.fadkd.engine.job.JobComponents;
import org.fadkd.engine.job.JobSession;
import org.fadkd.engine.job.JobSettings;
import org.fadkd.engine.model.TappedModel;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.selection.CandidateResult;
import org.fadkd.engine.selection.SelectionResult;
import org.fadkd.engine.selection.SelectionValidation;
import org.fadkd.engine.selection.SelectionValidation.Distilled;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * {@code runner select}: student selection for one job on its own, in a run directory of its own,
 * and with {@code --validate} the check of its ranking (fad-spec §10, "What is validated"): every
 * feasible candidate distilled with the job's recipe, as a normal job in {@code validate/<i>/}, then
 * Spearman's ρ of selection score and final top-1, the cost of selecting as a fraction of distilling
 * them all, and the winner's shortfall, in {@code validation.json}.
 *
 * <p>Tracking: the run directory's spool is the selection's parent run; the candidates' runs and
 * the validation's jobs are its children.
 */
public final class SelectionRunner {
    /** The validation's result, next to {@code selection.json}. */
    public static final String VALIDATION_FILE = "validation.json";
    /** Where the validation distils candidate {@code i}: {@code validate/<i>/} of the run directory. */
    public static final String VALIDATION_DIRECTORY = "validate";

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    public SelectionRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * Selects the job's student in {@code directory} and, with {@code validate}, distils every
     * feasible candidate and validates the ranking.
     *
     * @return true when the selection (and every distillation of the validation) finished; false when
     *     a distillation failed, which leaves the validation undone
     * @throws org.fadkd.api.FadException when the selection cannot run, e.g. no candidate is within
     *     the budgets; the parent run is then recorded FAILED
     */
    public boolean run(JobSpec spec, Path directory, TrackingSession tracking, boolean validate) {
        JobRunner jobs = new JobRunner(binder, layout, console);
        JobRunner.writeJobFiles(spec, directory);
        TrackingSession.Sweep parent = tracking.selectionStarted(directory, spec, JobRunner.flatten(spec.config()));
        TrackingSpool spool = parent.spool();
        SelectionStep.Selected selected;
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            JobSession session = jobs.session();
            JobSettings settings = JobSettings.from(spec.config());
            JobComponents job = JobComponents.build(spec.config(), settings, session,
                    session.context(manager, spec.seed(), directory, spool));
            try (Model teacherModel = job.newModel("teacher", job.teacher())) {
                TappedModel teacher = JobComponents.tapped("teacher", teacherModel, job.teacher());
                session.obtainTeacher(spec.config(), settings.teacherTraining(), teacher,
                        job.teacher().getPretrainedWeights(), job.task(), job.dataset(),
                        settings.trainer().evalBatchSize(), manager, spool);
                selected = new SelectionStep(layout, console).select(job, teacher, spool, directory, tracking);
            }
        } catch (RuntimeException e) {
            parent.failed(String.valueOf(e.getMessage()));
            throw e;
        }
        Map<String, Object> summary = selected.result().toJson();
        summary.remove("candidates");
        if (!validate) {
            spool.summary(summary);
            parent.finished(List.of());
            return true;
        }
        return validate(spec, directory, selected, jobs, tracking, parent, summary);
    }

    /** Distils every feasible candidate as a job of the selection's parent run, then validates the ranking. */
    private boolean validate(JobSpec spec, Path directory, SelectionStep.Selected selected, JobRunner jobs,
            TrackingSession tracking, TrackingSession.Sweep parent, Map<String, Object> summary) {
        SelectionResult result = selected.result();
        List<CandidateResult> feasible = result.ranked();
        List<JobResult> results = new ArrayList<>();
        Map<String, Distilled> distilled = new LinkedHashMap<>();
        for (int i = 0; i < feasible.size(); i++) {
            String name = feasible.get(i).name();
            JobSpec job = candidateJob(spec, i, name, selected.sections().get(name));
            console.printf("%n== Validation %d/%d: distilling '%s' (rank %d) ==%n", i + 1, feasible.size(), name,
                    feasible.get(i).rank());
            Path jobDirectory = directory.resolve(VALIDATION_DIRECTORY).resolve(Integer.toString(i));
            JobRunner.writeJobFiles(job, jobDirectory);
            JobResult jobResult = jobs.run(job, feasible.size(), jobDirectory, tracking, parent, false);
            results.add(jobResult);
            if (jobResult.finished()) {
                distilled.put(name, new Distilled(jobResult.summary().metric("final_top1"),
                        jobResult.summary().metric("wall_time_s")));
            } else {
                console.printf("Distilling '%s' failed: %s (details in %s)%n", name, jobResult.summary().error(),
                        jobDirectory.resolve("error.txt"));
            }
        }
        console.println();
        console.print(SummaryTable.render(results));
        if (distilled.size() < feasible.size()) {
            List<String> failed = feasible.stream().map(CandidateResult::name)
                    .filter(name -> !distilled.containsKey(name)).toList();
            String reason = String.format("the selection is not validated: distilling %s failed, and the validation"
                    + " needs every feasible candidate distilled", failed);
            console.printf("Not validated: distilling %s failed, and Spearman's rank correlation needs every feasible"
                    + " candidate. Fix the failure (see the error.txt above) and run 'runner select --validate'"
                    + " again.%n", failed);
            parent.spool().summary(summary);
            parent.failed(reason);
            return false;
        }
        SelectionValidation validation = SelectionValidation.of(result, distilled);
        console.print(describe(validation));
        SelectionStep.write(directory.resolve(VALIDATION_FILE), validation.toJson());
        TrackingSpool spool = parent.spool();
        if (!Double.isNaN(validation.spearman())) {
            spool.metric("validation/spearman", validation.spearman(), 0);
        }
        spool.metric("validation/cost_fraction", validation.costFraction(), 0);
        spool.metric("validation/winner_shortfall", validation.winnerShortfall(), 0);
        summary.put("validation", validation.toJson());
        spool.summary(summary);
        parent.finished(results);
        return true;
    }

    /**
     * Candidate {@code number}'s distillation: the job with the candidate's architecture as its
     * {@code student} (the section holds its defaults already) and selection off.
     */
    private static JobSpec candidateJob(JobSpec spec, int number, String name, Config section) {
        Config config = spec.config()
                .withValue("student", section.root())
                .withValue("selection.enabled", ConfigValueFactory.fromAnyRef(false));
        List<String> overrides = new ArrayList<>(spec.overrides());
        overrides.add("student=" + name);
        return new JobSpec(spec.experiment(), number, overrides, config);
    }

    /** The validation in three lines: the correlation, the cost, and how far the winner is from the best. */
    static String describe(SelectionValidation validation) {
        SelectionValidation.Row winner = validation.rows().get(0);
        SelectionValidation.Row best = validation.best();
        return String.format(Locale.ROOT, "Spearman(score, final top-1) = %s over %d candidates%n"
                        + "selection took %,.0f s = %.2f of distilling all %d (%,.0f s)%n"
                        + "winner %s: final top-1 %.4f; best %s: %.4f (shortfall %.4f)%n",
                Double.isNaN(validation.spearman()) ? "undefined (tied scores or accuracies)"
                        : String.format(Locale.ROOT, "%.2f", validation.spearman()),
                validation.candidates(), validation.selectionSeconds(), validation.costFraction(),
                validation.candidates(), validation.distillationSeconds(), winner.name(), winner.accuracy(),
                best.name(), best.accuracy(), validation.winnerShortfall());
    }
}
