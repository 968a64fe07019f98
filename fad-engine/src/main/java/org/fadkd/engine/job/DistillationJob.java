package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.measure.CompressionMeasurements;
import org.fadkd.engine.measure.CompressionMeter;
import org.fadkd.engine.measure.InferenceTiming;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.measure.MeasurementEnvironment;
import org.fadkd.engine.measure.ModelMeasurements;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.fadkd.engine.model.StudentExport;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.report.FlowMeasurement;
import org.fadkd.engine.report.FlowReport;
import org.fadkd.engine.teacher.TeacherCache;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.engine.train.MethodRequirements;
import org.fadkd.engine.train.TrainingOutcome;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.engine.weights.WeightsSettings;

/**
 * Runs one job end to end, without command line, dependency injection or tracking server: a
 * sequence of named steps over the job's {@link JobComponents}, reporting through a {@link
 * JobListener} and returning its {@link JobSummary}.
 *
 * <pre>
 * components → student (preflight) → teacher → selection → teacher profile → train → evaluate
 *            → export → flow report → measure
 * </pre>
 *
 * <p>The student's preflight (its method and trainer can work with the models, its
 * multiply-accumulates can be counted) runs before the teacher trains; a job that selects its
 * student learns it only after the teacher, so its preflight follows the selection. The teacher is
 * cached or trained on the task loss alone; the trainer then runs its stages (fad-spec §13:
 * {@code compression_time_s} counts selection and training, not teacher training, the flow
 * report's profiles, evaluation, export or measurement). With checkpoints, each stage writes
 * {@code checkpoint/<stage>/} in the job directory and a job run again there continues from them;
 * the directory is deleted when the job finishes.
 */
public final class DistillationJob {
    /** Where a job exports its student, inside the job directory. */
    public static final String STUDENT_DIRECTORY = "student";
    /** Where a job's checkpoints live, inside the job directory. */
    public static final String CHECKPOINT_DIRECTORY = "checkpoint";
    /** The winner's architecture section in the job directory of a job that selects its student. */
    public static final String SELECTED_STUDENT_FILE = "selected-student.conf";
    /** The split the final evaluation runs on, as {@code model.json} records it. */
    private static final String TEST_SPLIT = "test";

    private final JobSession session;
    private final JobDefinition definition;
    private final JobListener listener;
    private final StudentSelector selector;

    // What the steps build and hand on, in step order.
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final Map<String, Object> flow = new LinkedHashMap<>();
    private final Map<String, Object> measurement = new LinkedHashMap<>();
    private JobComponents components;
    /** An instance of the job's method, to ask it what it needs (its stages create their own). */
    private DistillationLoss method;
    private Model teacherModel;
    private TappedModel teacher;
    private TeacherCache.Outcome teacherOutcome;
    private String selected;
    private Config studentSection;
    private Model studentModel;
    private TappedModel student;
    private long compressionStart;
    private FlowRecorder flowRecorder;
    private long flowReportNanos;
    private TrainingOutcome outcome;
    private JobTrainerHost trainer;
    private long distillStart;
    private double compressionSeconds;
    private Map<String, Double> testMetrics;

    /**
     * What defines a job.
     *
     * @param experiment the experiment's name
     * @param number the 0-based job number in its sweep
     * @param jobCount the sweep's job count, for progress
     * @param config the resolved config
     * @param directory the job directory
     * @param configHash identifies the job's configuration, recorded with its checkpoints
     * @param resume whether the job continues from its checkpoints ({@code --resume}); a fresh job
     *     refuses a directory that holds any
     */
    public record JobDefinition(String experiment, int number, int jobCount, Config config, Path directory,
            String configHash, boolean resume) {
        public JobDefinition {
            requireNonNull(experiment, "experiment is null");
            requireNonNull(config, "config is null");
            requireNonNull(directory, "directory is null");
            requireNonNull(configHash, "configHash is null");
        }
    }

    /**
     * How a job ended.
     *
     * @param summary what it reports
     * @param failure why it failed, or null when it finished
     * @param teacherCached whether its teacher came from the cache
     */
    public record Outcome(JobSummary summary, Exception failure, boolean teacherCached) {}

    private record Step(String name, Action action) {}

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    public DistillationJob(JobSession session, JobDefinition definition, JobListener listener, StudentSelector selector) {
        this.session = requireNonNull(session, "session is null");
        this.definition = requireNonNull(definition, "definition is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.selector = requireNonNull(selector, "selector is null");
    }

    /** Runs the job; a failure is returned in the outcome, not thrown. */
    public Outcome run() {
        JobSettings settings = JobSettings.from(definition.config());
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            JobContext context = session.context(manager, settings.seed(), definition.directory(), listener);
            List<Step> steps = List.of(
                    new Step("components", () -> components = JobComponents.build(
                            definition.config(), settings, session, context)),
                    new Step("checkpoints", this::claimCheckpoints),
                    new Step("student", () -> {
                        if (!settings.selects()) {
                            buildStudent(definition.config().getConfig("student"));
                        }
                    }),
                    new Step("teacher", this::obtainTeacher),
                    new Step("selection", this::selectStudent),
                    new Step("teacher profile", this::startFlowReport),
                    new Step("train", this::train),
                    new Step("evaluate", this::evaluate),
                    new Step("export", this::export),
                    new Step("flow report", this::finishFlowReport),
                    new Step("measure", this::measure));
            for (Step step : steps) {
                step.action().run();
            }
            return new Outcome(summary(JobSummary.FINISHED, null), null, teacherOutcome.fromCache());
        } catch (RuntimeException | IOException e) {
            // A file the job could not read or write is named with the system's reason.
            String error = IoFailures.describe(e) != null && !(e instanceof FadException)
                    ? IoFailures.describe(e) : String.valueOf(e.getMessage());
            return new Outcome(summary(JobSummary.FAILED, error), e,
                    teacherOutcome != null && teacherOutcome.fromCache());
        } finally {
            close();
        }
    }

    private JobSummary summary(String status, String error) {
        Config config = definition.config();
        return new JobSummary(definition.experiment(), definition.number(), config.getString("method.type"),
                config.getString("teacher.type"),
                studentSection != null ? studentSection.getString("type") : config.getString("student.type"),
                config.getLong("seed"), selected, status, error, metrics, flow, measurement);
    }

    /** Before anything trains: the checkpoints this job may write and continue are its own. */
    private void claimCheckpoints() {
        if (components.settings().checkpoints()) {
            new CheckpointOwner(definition.configHash(), components.dataset().getFingerprint())
                    .claim(definition.directory().resolve(CHECKPOINT_DIRECTORY), definition.resume());
        }
    }

    /** Builds the student and checks, before anything trains, that its method and trainer can work with it. */
    private void buildStudent(Config section) {
        studentSection = section;
        buildTeacher();
        Architecture architecture = components.architecture("student", section);
        studentModel = components.newModel("student", architecture);
        student = JobComponents.tapped("student", studentModel, architecture);
        JobSettings settings = components.settings();
        method = components.method("method", components.methodSection());
        MethodRequirements.preflight(components.methodSection().getString("type"), method, teacher, student,
                components.dataset().getInputShapes(), components.dataset().getSplit(Split.TRAIN).size(),
                settings.trainer().epochs(), settings.seed());
        preflightMacCount(studentModel);
        trainer = new JobTrainerHost(components, teacher, student, definition.number(), progressLabel(), listener,
                definition.directory(), session, metrics);
        components.trainer().preflight(trainer);
    }

    /** Builds the teacher's model once: with the student's preflight, or here when the job selects. */
    private void buildTeacher() {
        if (teacherModel == null) {
            teacherModel = components.newModel("teacher", components.teacher());
            teacher = JobComponents.tapped("teacher", teacherModel, components.teacher());
            preflightMacCount(teacherModel);
        }
    }

    private void obtainTeacher() {
        buildTeacher();
        JobSettings settings = components.settings();
        int evalBatchSize = settings.trainer().evalBatchSize();
        teacherOutcome = session.obtainTeacher(definition.config(), settings.teacherTraining(), teacher,
                components.teacher().getPretrainedWeights(), components.task(), components.dataset(), evalBatchSize,
                components.context().getManager(), listener);
        metrics.put("teacher_top1", session.teacherTop1(teacherOutcome, () -> JobSession.testMetric(
                teacher, components.task(), components.dataset(), evalBatchSize, components.context().getManager())));
        metrics.put("teacher_cached", teacherOutcome.fromCache());
        metrics.put("teacher_training_s", teacherOutcome.fromCache() ? 0.0 : teacherOutcome.trainingSeconds());
        // fad-spec §13: compression_time_s starts here, after teacher training (reported apart), with
        // the selection and the teacher-flow precomputation.
        compressionStart = System.nanoTime();
    }

    /**
     * Selects the student when the job asks for it and records the winner: the student of the
     * summary, params and tags, {@code selected}, {@code selection_s}, and {@code
     * selected-student.conf} ({@code config.conf} keeps the experiment's {@code student}), from
     * which a later evaluation can rebuild it.
     */
    private void selectStudent() throws IOException {
        if (!components.settings().selects()) {
            return;
        }
        StudentSelector.Selected winner = selector.select(components, teacher);
        selected = winner.name();
        metrics.put("selection_s", winner.seconds());
        Files.writeString(definition.directory().resolve(SELECTED_STUDENT_FILE), "# The student selection chose '"
                + winner.name() + "' (selection.json); its architecture section, defaults included.\n"
                + ConfigText.render(winner.section()));
        Map<String, String> params = new LinkedHashMap<>();
        ConfigText.flatten(winner.section()).forEach((key, value) -> params.put("student." + key, value));
        listener.params(params);
        listener.tags(Map.of("fad.student", winner.section().getString("type"), "fad.selected", winner.name()));
        session.console().println("Preflight of the selected student (after the teacher: it was chosen only now).");
        buildStudent(winner.section());
    }

    /** Measures the teacher's flow profile (once per teacher, metric and batch size in this process). */
    private void startFlowReport() {
        if (teacher.tapNames().size() < 2 || student.tapNames().size() < 2) {
            return;
        }
        long start = System.nanoTime();
        FlowChoice choice = FlowChoice.of(method);
        FlowMetric metric = components.context().createComponent(ComponentKind.FLOW_METRIC, choice.metricSection());
        int batchSize = components.settings().trainer().batchSize();
        FlowMeasurement measurement =
                FlowMeasurement.onTrainingBatches(metric, components.dataset().getSplit(Split.TRAIN), batchSize);
        NDManager manager = components.context().getManager();
        double[] teacherProfile = session.teacherProfile(teacherOutcome,
                ConfigText.canonical(choice.metricSection()) + "|" + batchSize,
                () -> measurement.meanProfile(teacher, manager));
        flowRecorder = new FlowRecorder(choice.metricName(), choice.distribution(), measurement, teacherProfile,
                manager);
        flowReportNanos = System.nanoTime() - start;
    }

    private void train() {
        distillStart = System.nanoTime();
        trainer.startTraining(flowRecorder == null ? LoopListener.NONE : flowRecorder);
        components.trainer().train(trainer);
        outcome = trainer.studentOutcome();
        metrics.putIfAbsent("teacher_forward_skipped", false); // no student stage learnt from the job's teacher
        // The flow report's profiles are reporting, not compression (fad-spec §13).
        long reporting = flowReportNanos + (flowRecorder == null ? 0 : flowRecorder.measuringNanos());
        compressionSeconds = (System.nanoTime() - compressionStart - reporting) / 1e9;
    }

    private void evaluate() {
        testMetrics = Evaluation.evaluate(student, components.task(), components.dataset().getSplit(Split.TEST),
                components.settings().trainer().evalBatchSize(), components.context().getManager());
        metrics.put("best_top1", outcome.best());
        metrics.put("final_top1", testMetrics.get(components.task().getPrimaryMetric()));
        // Every test metric under its own name as well (final_top5; detection's final_map, final_map50;
        // text classification's final_accuracy, final_f1), so that a task whose primary metric is not
        // top-1 accuracy reports it by what it is, and its secondary metrics reach the summary.
        testMetrics.forEach((name, value) -> metrics.putIfAbsent("final_" + name, value));
        metrics.put("best_epoch", trainer.studentBestEpoch());
        // The test accuracy above is of these weights: the best validation epoch's, or the last.
        metrics.put("kept_epoch", trainer.studentKeptEpoch());
        metrics.put("validation_samples", components.dataset().getSplit(Split.VALIDATION).size());
        metrics.put("wall_time_s", (System.nanoTime() - distillStart) / 1e9);
        var epochs = trainer.studentEpochs();
        metrics.put("rss_mb_epoch1", epochs.get(0).residentMegabytes());
        metrics.put("rss_mb_last_epoch", epochs.get(epochs.size() - 1).residentMegabytes());
        metrics.putAll(trainer.trainerMetrics());
        List<String> warnings = OutcomeWarnings.of(epochs, components.task().getPrimaryMetric(),
                testMetrics.get(components.task().getPrimaryMetric()), components.dataset().getClassCount(),
                components.settings().trainer().learningRate());
        for (String warning : warnings) {
            session.console().printf("WARNING: job %d: %s%n", definition.number(), warning);
        }
        if (!warnings.isEmpty()) {
            listener.tags(Map.of("fad.warnings", String.join(" ", warnings)));
        }
    }

    /**
     * Exports the student with every architecture setting, defaults included, so that a later
     * change of the architecture's defaults cannot silently rebuild another network. A {@code
     * weights} section is left out: the exported weights replace the file's, and the export must
     * load without that file.
     */
    private void export() {
        Config config = definition.config();
        StudentExport.write(definition.directory().resolve(STUDENT_DIRECTORY), student, new StudentExport.Sections(
                        components.binder().withDefaults(ComponentKind.ARCHITECTURE, studentSection)
                                .withoutPath(WeightsSettings.KEY),
                        config.getConfig("task"), config.getConfig("data")),
                components.dataset(), new ReportedEvaluation(TEST_SPLIT,
                        components.settings().trainer().evalBatchSize(), testMetrics));
    }

    private void finishFlowReport() throws IOException {
        if (flowRecorder == null) {
            return;
        }
        FlowReport report = flowRecorder.finish(student, definition.directory());
        flow.putAll(report.toSummary());
        listener.metric("flow/d_align_before", report.dAlignBefore(), 0);
        listener.metric("flow/d_align_after", report.dAlignAfter(), trainer.studentEpochs().size());
    }

    /** Last, when nothing else of the job runs: the timings need a quiet machine. */
    private void measure() {
        LabeledDataset dataset = components.dataset();
        var timing = components.settings().measurement();
        CompressionMeter meter = new CompressionMeter(new InferenceTiming(timing));
        ModelMeasurements studentFigures = meter.measure(studentModel.getBlock(), studentModel.getNDManager(),
                dataset, definition.directory().resolve(STUDENT_DIRECTORY));
        ModelMeasurements teacherFigures = session.teacherFigures(teacherOutcome, timing.toString(), () ->
                meter.measure(teacherModel.getBlock(), teacherModel.getNDManager(), dataset,
                        teacherOutcome.directory()));
        MeasurementEnvironment environment = MeasurementEnvironment.of(studentModel.getNDManager().getDevice());
        metrics.putAll(new CompressionMeasurements(teacherFigures, studentFigures, compressionSeconds, environment)
                .toMetrics());
        measurement.put("engine", environment.engine());
        measurement.put("device", environment.device());
        measurement.put("threads", environment.threads());
        Map<String, String> params = new LinkedHashMap<>();
        measurement.forEach((key, value) -> params.put("measurement." + key, String.valueOf(value)));
        listener.params(params);
    }

    private String progressLabel() {
        return String.format("job %d/%d %s", definition.number() + 1, definition.jobCount(),
                definition.config().getString("method.type"));
    }

    /**
     * Counts a model's multiply-accumulates before anything trains: it needs no weights and takes
     * milliseconds, so an architecture holding a block the counter cannot count fails now, not
     * after the teacher trained and the student distilled.
     */
    private void preflightMacCount(Model model) {
        try {
            MacCounter.count(model.getBlock(), InputShapes.perSample(components.dataset()));
        } catch (FadException e) {
            // INTERNAL: a transposed convolution, countable only once initialised; the count after
            // distillation covers it. Blocks that cannot be counted at all are a user's error.
            if (e.getErrorCode() != ErrorCode.INTERNAL) {
                throw e;
            }
        }
    }

    /** Removes a finished job's checkpoints: the final weights are in {@code student/}. */
    public static void deleteCheckpoints(Path directory) throws IOException {
        Path checkpoints = directory.resolve(CHECKPOINT_DIRECTORY);
        if (!Files.exists(checkpoints)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(checkpoints)) {
            for (Path entry : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private void close() {
        if (trainer != null) {
            trainer.close();
        }
        if (studentModel != null) {
            studentModel.close();
        }
        if (teacherModel != null) {
            teacherModel.close();
        }
    }
}
