package org.fadkd.runner.job;

import org.fadkd.engine.job.FlowChoice;
import org.fadkd.engine.job.JobComponents;
import org.fadkd.engine.job.StudentSelector;
import org.fadkd.engine.job.TeacherFlowStep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.selection.Candidate;
import org.fadkd.engine.selection.CandidateResult;
import org.fadkd.engine.selection.SelectionListener;
import org.fadkd.engine.selection.SelectionResult;
import org.fadkd.engine.selection.SelectionSettings;
import org.fadkd.engine.selection.SelectionTable;
import org.fadkd.engine.selection.StudentSelection;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.train.ConsoleProgress;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.tracking.session.TrackingSession;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * Student selection for one job (fad-spec §10), once its teacher is trained: builds the candidates
 * of its {@code selection} section, runs {@link StudentSelection} with the job's flow metric (that of
 * its flow report, {@link FlowChoice}), prints the ranked table and the winner, writes {@code
 * selection.json} into the job's directory, and tracks one child run per candidate under {@code
 * selection/<name>/}. Used by {@code runner select} and by a run with {@code selection.enabled}.
 */
public final class SelectionStep {
    /** The selection's result in the selecting run's directory. */
    public static final String RESULT_FILE = "selection.json";

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ProjectLayout layout;
    private final PrintStream console;

    public SelectionStep(ProjectLayout layout, PrintStream console) {
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * What a selection chose.
     *
     * @param result the ranked candidates
     * @param sections every candidate's architecture section, defaults included, by name
     */
    public record Selected(SelectionResult result, Map<String, Config> sections) {
        public Selected {
            requireNonNull(result, "result is null");
            sections = Map.copyOf(sections);
        }

        /** The winner's architecture section: what the run distils in place of {@code student}. */
        public Config winnerSection() {
            return sections.get(result.winner().name());
        }

        /** The winner as the job that distils it sees it. */
        public StudentSelector.Selected winner() {
            return new StudentSelector.Selected(result.winner().name(), winnerSection(), result.seconds());
        }
    }

    /**
     * Selects the job's student.
     *
     * @param teacher the job's trained teacher
     * @param parent the selecting run's spool: it gets {@code selection/seconds}, {@code
     *     selection/candidates} and {@code selection/feasible}
     * @param directory the selecting run's directory: {@code selection.json} and the candidates'
     *     child runs go there
     * @throws org.fadkd.api.FadException when a candidate cannot be built or no candidate is within
     *     the budgets (listing every candidate and why)
     */
    public Selected select(JobComponents job, TappedModel teacher, TrackingSpool parent, Path directory,
            TrackingSession tracking) {
        SelectionSettings settings = job.settings().selection();
        ComponentBinder binder = job.binder();
        Map<String, Config> sections =
                SelectionCandidates.of(settings, new ConfigComposer(layout.configDirs()), binder).orThrow();
        List<Candidate> candidates = new ArrayList<>();
        sections.forEach((name, section) -> candidates.add(new Candidate(name,
                job.architecture("selection.candidates." + name, section))));
        FlowChoice flow = FlowChoice.of(job.method("method", job.methodSection()));
        FlowMetric metric = job.context().createComponent(ComponentKind.FLOW_METRIC, flow.metricSection());
        StudentSelection.Builder builder = StudentSelection.builder(settings, job.task(), job.dataset(),
                        job.settings().trainer(), job.context())
                .flowMetric(flow.metricName(), metric, flow.distribution())
                .timing(job.settings().measurement());
        if (job.settings().teacherFlow().cache()) {
            // The cache averages over the first 'batches' training batches at trainer.batch-size, in
            // order, the teacher in inference mode: exactly the batches selection analyses.
            TeacherFlowCache.Outcome outcome = new TeacherFlowStep(layout.cacheDir(), console)
                    .obtain(job, settings.batches(), metric, flow.cacheDescription(), teacher);
            builder.teacherProfile(outcome.profile().mean());
            if (outcome.logits() != null) {
                builder.teacherLogits(outcome.logits());
            }
        }
        SelectionResult result;
        try (CandidateRuns runs = new CandidateRuns(tracking, directory, sections, console)) {
            result = builder.listener(runs).build().select(teacher, candidates, job.context().getManager());
        }
        console.println(SelectionTable.format(result));
        console.printf(Locale.ROOT, "Selected '%s' (score %.4f) in %.0f s.%n",
                result.winner().name(), result.winner().score(), result.seconds());
        write(directory.resolve(RESULT_FILE), result.toJson());
        parent.metric("selection/seconds", result.seconds(), 0);
        parent.metric("selection/candidates", candidates.size(), 0);
        parent.metric("selection/feasible", result.ranked().size(), 0);
        return new Selected(result, sections);
    }

    /** Writes a JSON document as {@code summary.json} is written. */
    static void write(Path file, Map<String, Object> json) {
        try {
            JSON.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * One child run per candidate: opened when it is measured (params: its architecture section and
     * its name), fed the proxy's training metrics, and ended with its result, when it is scored or,
     * dropped over a budget, at once.
     */
    private static final class CandidateRuns implements SelectionListener, AutoCloseable {
        private final TrackingSession tracking;
        private final Path directory;
        private final Map<String, Config> sections;
        private final PrintStream console;
        private final Map<String, TrackingSession.Candidate> runs = new HashMap<>();
        private final List<String> order;

        CandidateRuns(TrackingSession tracking, Path directory, Map<String, Config> sections, PrintStream console) {
            this.tracking = requireNonNull(tracking, "tracking is null");
            this.directory = requireNonNull(directory, "directory is null");
            this.sections = sections;
            this.console = console;
            this.order = List.copyOf(sections.keySet());
        }

        @Override
        public void onMeasured(CandidateResult result) {
            TrackingSession.Candidate run = tracking.candidateStarted(directory, result.name(), order.indexOf(result.name()));
            runs.put(result.name(), run);
            Map<String, String> params = new LinkedHashMap<>(JobRunner.flatten(sections.get(result.name())));
            params.put("candidate", result.name());
            run.spool().params(params);
            if (!result.feasible()) {
                // Dropped runs finish here: nothing more happens to them, and the reason is the result.
                end(result);
            }
        }

        @Override
        public void onScored(CandidateResult result) {
            end(result);
        }

        private void end(CandidateResult result) {
            TrackingSession.Candidate run = runs.remove(result.name());
            run.spool().summary(result.toJson());
            run.ended("FINISHED", null);
            run.close();
        }

        @Override
        public LoopListener warmUpListener(String candidate) {
            return new ConsoleProgress("select " + candidate + " proxy", console);
        }

        @Override
        public MetricSink warmUpMetrics(String candidate) {
            return runs.get(candidate).spool();
        }

        /** Ends the runs of a selection that failed before scoring them (FAILED, see {@link TrackingSession.Candidate#close}). */
        @Override
        public void close() {
            runs.values().forEach(TrackingSession.Candidate::close);
            runs.clear();
        }
    }
}
