package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.api.SettingsReader;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.measure.CompressionMeasurements;
import org.fadkd.engine.measure.CompressionMeter;
import org.fadkd.engine.measure.InferenceTiming;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.measure.MeasurementEnvironment;
import org.fadkd.engine.measure.ModelMeasurements;
import org.fadkd.engine.measure.TimingSettings;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.fadkd.engine.model.StudentExport;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.report.FlowMeasurement;
import org.fadkd.engine.report.FlowPlots;
import org.fadkd.engine.report.FlowReport;
import org.fadkd.engine.teacher.TeacherCache;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.teacher.TeacherLogits;
import org.fadkd.engine.train.ConsoleProgress;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.EpochReport;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.engine.train.MethodRequirements;
import org.fadkd.engine.train.TrainingOutcome;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.runner.ProjectLayout;
import org.fadkd.runner.tracking.TrackingSession;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * Runs one job: builds its components, obtains the teacher (cached or trained), distils the
 * student, and writes the job directory: {@code config.conf}, {@code overrides.txt}, {@code
 * tracking.jsonl}, {@code summary.json} and the exported student in {@code student/} (its weights
 * and {@code model.json}, see {@link StudentExport}). After distillation it measures the teacher
 * and the exported student as fad-spec §13 asks (parameters, GFLOPs, weight size, latency,
 * throughput) with the {@code measurement} settings, and reports them, their ratios and {@code
 * compression_time_s} in {@code summary.json}'s {@code metrics}. When teacher and student both
 * have at least two taps it also writes the flow report: the mean flow profiles of the teacher and
 * of the student before and after training ({@code flow} in {@code summary.json}, {@code
 * flow_profiles.png}, {@code alignment_error.png}).
 *
 * <p>With {@code checkpoint.enabled} the student's training writes a checkpoint into {@code
 * checkpoint/} of the job directory at the end of every epoch, and a job run again in the same
 * directory ({@code runner --resume}) continues from it; the directory is deleted once the job
 * finished. A resumed job measures the student's flow profile "before training" on the resumed
 * weights, not on the initial ones, and its {@code compression_time_s} and {@code wall_time_s} cover
 * the resumed run only.
 */
public final class JobRunner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String TASK_ONLY_METHOD = "none";
    /** Where a job's student checkpoint lives, inside the job directory. */
    public static final String CHECKPOINT_DIRECTORY = "checkpoint";
    /** Where a job exports its student, inside the job directory. */
    public static final String STUDENT_DIRECTORY = "student";
    /** The winner's architecture section in the job directory of a job that selects its student. */
    public static final String SELECTED_STUDENT_FILE = "selected-student.conf";
    /** The split the final evaluation runs on, as {@code model.json} records it. */
    private static final String TEST_SPLIT = "test";

    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;
    /** Datasets hold their samples on the heap, not in NDArrays, so jobs of a sweep can share them. */
    private final Map<String, LabeledDataset> datasets = new HashMap<>();
    /** Test top-1 of each teacher measured by this process, by cache key. */
    private final Map<String, Double> teacherAccuracy = new HashMap<>();
    /** Mean flow profile of each teacher measured by this process, by cache key, metric and batch size. */
    private final Map<String, double[]> teacherProfiles = new HashMap<>();
    /**
     * The §13 figures of each teacher measured by this process, by cache key and timing settings.
     * Kept in memory only: the timings are comparable with a student's only when both were taken
     * in one process on one machine, and the static figures cost milliseconds to recompute.
     */
    private final Map<String, ModelMeasurements> teacherFigures = new HashMap<>();

    public JobRunner(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** Returns the job's dataset, creating it once per distinct data section. */
    public LabeledDataset dataset(Config config, JobContext context) {
        Config section = config.getConfig("data");
        return datasets.computeIfAbsent(render(section),
                key -> binder.create(ComponentKind.DATASET, "data", section, context));
    }

    /**
     * Runs a job; failures are recorded in its directory and returned, not thrown.
     *
     * @param tracking where the job's run is logged besides its spool
     * @param parent the job's sweep, or null for a job run on its own
     */
    public JobResult run(JobSpec spec, int jobCount, Path directory, TrackingSession tracking,
            TrackingSession.Sweep parent) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", spec.experiment());
        summary.put("job", spec.number());
        summary.put("method", spec.method());
        summary.put("teacher", spec.teacher());
        summary.put("student", spec.student());
        summary.put("seed", spec.seed());
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> flow = new LinkedHashMap<>();
        Map<String, Object> measurement = new LinkedHashMap<>();
        boolean teacherCached = false;
        writeJobFiles(spec, directory);
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME));
                TrackingSession.Job tracked = tracking.jobStarted(spool, directory, spec, parent);
                NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            // A selecting job logs its student's params once the winner is known: MLflow params cannot change.
            spool.params(flatten(selects(spec.config()) ? spec.config().withoutPath("student") : spec.config()));
            spool.status("RUNNING", null);
            try {
                JobContext context = new JobContext(manager, spec.seed(), directory, spool, binder,
                        layout.dataSearchPath());
                Config config = spec.config();
                Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
                LabeledDataset dataset = dataset(config, context);
                Architecture teacherArchitecture =
                        binder.create(ComponentKind.ARCHITECTURE, "teacher", config.getConfig("teacher"), context);
                DistillationLoss method =
                        binder.create(ComponentKind.METHOD, "method", config.getConfig("method"), context);

                String label = String.format("job %d/%d %s", spec.number() + 1, jobCount, spec.method());
                TrainingSettings trainer = TrainingSettings.from(config.getConfig("trainer"), "trainer");
                TimingSettings timing = TimingSettings.from(config.getConfig("measurement"), "measurement");
                try (Model teacherModel = newModel("teacher", teacherArchitecture, dataset)) {
                    TappedModel teacher = tapped("teacher", teacherModel, teacherArchitecture);
                    preflightMacCount(teacherModel, dataset.getSampleShape());
                    Config studentSection = config.getConfig("student");
                    TeacherCache.Outcome teacherOutcome = null;
                    long compressionStart = 0;
                    if (selects(config)) {
                        // The student is known only once the teacher is trained (selection compares
                        // candidates with it), so its preflight below comes after the teacher's training.
                        teacherOutcome = recordedTeacher(config, teacher, task, dataset, context, spool, metrics);
                        // fad-spec §13: compression_time_s starts with the selection.
                        compressionStart = System.nanoTime();
                        SelectionStep.Selected selected = new SelectionStep(binder, layout, console)
                                .select(config, teacher, task, dataset, context, spool, directory, tracking);
                        studentSection = selected.winnerSection();
                        recordSelection(selected, directory, summary, metrics, spool);
                    }
                    Architecture studentArchitecture =
                            binder.create(ComponentKind.ARCHITECTURE, "student", studentSection, context);
                    try (Model studentModel = newModel("student", studentArchitecture, dataset)) {
                        TappedModel student = tapped("student", studentModel, studentArchitecture);
                        // Before the teacher trains (after it when the job selects its student): a method
                        // that cannot work with these models fails now.
                        MethodRequirements.preflight(spec.method(),
                                binder.create(ComponentKind.METHOD, "method", config.getConfig("method"), context),
                                teacher, student, dataset.getSampleShape(), dataset.getSplit(Split.TRAIN).size(),
                                trainer.epochs(), spec.seed());
                        preflightMacCount(studentModel, dataset.getSampleShape());
                        if (teacherOutcome == null) {
                            teacherOutcome = recordedTeacher(config, teacher, task, dataset, context, spool, metrics);
                            // fad-spec §13: compression_time_s starts here, after teacher training (reported
                            // apart) and with the teacher-flow precomputation, which the method needs.
                            compressionStart = System.nanoTime();
                        }
                        teacherCached = teacherOutcome.fromCache();
                        TeacherLogits teacherLogits = null;
                        java.util.Optional<TeacherFlowCache.Outcome> flowOutcome =
                                new TeacherFlowStep(layout.cacheDir(), console).apply(config, method, teacher, dataset);
                        if (flowOutcome.isPresent()) {
                            metrics.put("teacher_flow_cached", flowOutcome.get().fromCache());
                            teacherLogits = flowOutcome.get().logits();
                        }
                        boolean teacherForwardSkipped = DistillationLoop.skipsTeacherForward(method, teacherLogits);
                        if (config.getBoolean("teacher-flow.logits")) {
                            console.println(teacherForwardSkipped
                                    ? "Teacher forward skipped: teacher outputs come from the cached logits."
                                    : teacherLogits == null
                                            ? String.format("Teacher forward not skipped: method '%s' gets no teacher"
                                                    + " flow profile, and the logits are cached only with it.", spec.method())
                                            : String.format("Teacher forward not skipped: method '%s' needs more from the"
                                                    + " teacher than its logits.", spec.method()));
                        }
                        metrics.put("teacher_forward_skipped", teacherForwardSkipped);

                        LoopListener progress = new ConsoleProgress(label, console);
                        FlowRecorder flowRecorder = null;
                        long teacherProfileNanos = 0;
                        if (teacher.tapNames().size() >= 2 && student.tapNames().size() >= 2) {
                            long profileStart = System.nanoTime();
                            flowRecorder = startFlowReport(config, teacher, teacherOutcome, dataset,
                                    trainer.batchSize(), context, manager, progress);
                            teacherProfileNanos = System.nanoTime() - profileStart;
                            progress = flowRecorder;
                        }
                        long distillStart = System.nanoTime();
                        Path checkpoints = checkpointDirectory(config, directory);
                        if (checkpoints != null && org.fadkd.engine.train.Checkpoint.exists(checkpoints)) {
                            console.printf("Resuming job %d from its checkpoint in %s%n", spec.number(), checkpoints);
                        }
                        DistillationLoop loop = new DistillationLoop(
                                task, dataset, trainer, spec.seed(), spool, progress, checkpoints);
                        TrainingOutcome outcome = loop.train(student, teacher, method, teacherLogits);
                        // The flow report's profiles are reporting, and the final evaluation, the export and
                        // the measurements come after: none of them is compression (fad-spec §13).
                        long flowReportNanos = teacherProfileNanos + (flowRecorder == null ? 0 : flowRecorder.measuringNanos());
                        double compressionSeconds = (System.nanoTime() - compressionStart - flowReportNanos) / 1e9;
                        Map<String, Double> testMetrics = Evaluation.evaluate(
                                student, task, dataset.getSplit(Split.TEST), trainer.evalBatchSize(), manager);
                        double finalTop1 = testMetrics.get(task.getPrimaryMetric());
                        double wallSeconds = (System.nanoTime() - distillStart) / 1e9;
                        Path exportDirectory = directory.resolve(STUDENT_DIRECTORY);
                        // Every architecture setting, defaults included, so that a later change of the
                        // architecture's defaults cannot silently rebuild another network.
                        StudentExport.write(exportDirectory, student, new StudentExport.Sections(
                                        binder.withDefaults(ComponentKind.ARCHITECTURE, studentSection),
                                        config.getConfig("task"), config.getConfig("data")),
                                dataset, new ReportedEvaluation(TEST_SPLIT, trainer.evalBatchSize(), testMetrics));
                        if (flowRecorder != null) {
                            FlowReport report = flowRecorder.finish(student, directory);
                            flow.putAll(report.toSummary());
                            spool.metric("flow/d_align_before", report.dAlignBefore(), 0);
                            spool.metric("flow/d_align_after", report.dAlignAfter(), outcome.epochs().size());
                        }

                        metrics.put("best_top1", outcome.best());
                        metrics.put("final_top1", finalTop1);
                        metrics.put("best_epoch", outcome.bestEpoch());
                        metrics.put("wall_time_s", wallSeconds);
                        metrics.put("rss_mb_epoch1", outcome.epochs().get(0).residentMegabytes());
                        metrics.put("rss_mb_last_epoch", outcome.epochs().get(outcome.epochs().size() - 1).residentMegabytes());

                        // Last, when nothing else of the job runs: the timings need a quiet machine.
                        CompressionMeter meter = new CompressionMeter(new InferenceTiming(timing));
                        ModelMeasurements studentFigures = meter.measure(studentModel.getBlock(),
                                studentModel.getNDManager(), dataset.getSampleShape(), exportDirectory);
                        ModelMeasurements teacherFigures =
                                measureTeacher(meter, timing, teacherModel, teacherOutcome, dataset.getSampleShape());
                        MeasurementEnvironment environment =
                                MeasurementEnvironment.of(studentModel.getNDManager().getDevice());
                        metrics.putAll(new CompressionMeasurements(
                                teacherFigures, studentFigures, compressionSeconds, environment).toMetrics());
                        measurement.putAll(describe(environment));
                        spool.params(prefixed("measurement/", measurement));
                    }
                }
                summary.put("status", "FINISHED");
                summary.put("metrics", metrics);
                putIfMeasured(summary, "flow", flow);
                putIfMeasured(summary, "measurement", measurement);
                spool.summary(summary);
                deleteCheckpoints(directory);
                // summary.json before the final status, so that it is among the run's artifacts.
                writeSummary(directory, summary);
                tracked.recordArtifacts();
                spool.status("FINISHED", null);
            } catch (RuntimeException | IOException e) {
                summary.put("status", "FAILED");
                summary.put("error", String.valueOf(e.getMessage()));
                summary.put("metrics", metrics);
                putIfMeasured(summary, "flow", flow);
                putIfMeasured(summary, "measurement", measurement);
                spool.summary(summary);
                writeQuietly(directory.resolve("error.txt"), stackTrace(e));
                writeSummary(directory, summary);
                tracked.recordArtifacts();
                spool.status("FAILED", String.valueOf(e.getMessage()));
            }
        }
        return new JobResult(spec, directory, summary, teacherCached);
    }

    /** Creates the job's directory with what defines the job: {@code config.conf} and {@code overrides.txt}. */
    static void writeJobFiles(JobSpec spec, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.conf"), render(spec.config()));
            Files.writeString(directory.resolve("overrides.txt"),
                    spec.overrides().isEmpty() ? "" : String.join("\n", spec.overrides()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job directory " + directory, e);
        }
    }

    /** The student's checkpoint directory, or null when the job does not checkpoint. */
    private static Path checkpointDirectory(Config config, Path directory) {
        boolean enabled = !config.hasPath("checkpoint.enabled") || config.getBoolean("checkpoint.enabled");
        return enabled ? directory.resolve(CHECKPOINT_DIRECTORY) : null;
    }

    /** Removes the checkpoint of a finished job: the final weights are in {@code student/}. */
    private void deleteCheckpoints(Path directory) {
        Path checkpoints = directory.resolve(CHECKPOINT_DIRECTORY);
        if (!Files.exists(checkpoints)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(checkpoints)) {
            for (Path entry : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        } catch (IOException e) {
            console.printf("Could not delete the checkpoint %s: %s%n", checkpoints, e.getMessage());
        }
    }

    /** Whether the job selects its student from {@code selection.candidates} (configs older than selection do not). */
    static boolean selects(Config config) {
        return config.hasPath("selection.enabled") && config.getBoolean("selection.enabled");
    }

    /**
     * Puts the selection into the job's record: the winner as the student of {@code summary.json}
     * and of the run's params and tags, {@code selected} and {@code selection_s}, and the winner's
     * section in {@code selected-student.conf} ({@code config.conf} keeps the experiment's {@code
     * student}), from which a later evaluation can rebuild it.
     */
    private static void recordSelection(SelectionStep.Selected selected, Path directory, Map<String, Object> summary,
            Map<String, Object> metrics, TrackingSpool spool) throws IOException {
        Config winner = selected.winnerSection();
        String name = selected.result().winner().name();
        summary.put("student", winner.getString("type"));
        summary.put("selected", name);
        metrics.put("selection_s", selected.result().seconds());
        Files.writeString(directory.resolve(SELECTED_STUDENT_FILE), "# The student selection chose '" + name
                + "' (selection.json); its architecture section, defaults included.\n" + render(winner));
        Map<String, String> params = new TreeMap<>();
        flatten(winner).forEach((key, value) -> params.put("student." + key, value));
        spool.params(params);
        spool.tags(Map.of("fad.student", winner.getString("type"), "fad.selected", name));
    }

    /** Obtains the teacher and records its test top-1, whether it was cached and how long it trained. */
    private TeacherCache.Outcome recordedTeacher(Config config, TappedModel teacher, Task task, LabeledDataset dataset,
            JobContext context, TrackingSpool spool, Map<String, Object> metrics) {
        TeacherCache.Outcome outcome = obtainTeacher(config, teacher, task, dataset, context, spool);
        double teacherTop1 = teacherAccuracy.computeIfAbsent(outcome.key(),
                key -> testMetric(teacher, task, dataset, config, context.getManager()));
        metrics.put("teacher_top1", teacherTop1);
        metrics.put("teacher_cached", outcome.fromCache());
        metrics.put("teacher_training_s", outcome.fromCache() ? 0.0 : outcome.trainingSeconds());
        return outcome;
    }

    /**
     * Obtains the job's teacher: loads the cached one whose key (teacher, teacher-training, task,
     * data and block class) matches into {@code teacher}, or trains and caches it.
     *
     * @param metrics where the teacher's training reports, its keys prefixed {@code teacher/}
     */
    public TeacherCache.Outcome obtainTeacher(
            Config config, TappedModel teacher, Task task, LabeledDataset dataset, JobContext context,
            MetricSink metrics) {
        Config training = config.getConfig("teacher-training");
        TrainingSettings settings = TrainingSettings.from(training, "teacher-training");
        long seed = training.getLong("seed");
        String key = TeacherCache.key(List.of(
                render(config.getConfig("teacher")),
                render(training.withoutPath("cache")),
                render(config.getConfig("task")),
                dataset.getFingerprint(),
                teacher.model().getBlock().getClass().getName()));
        TeacherCache cache = new TeacherCache(layout.cacheDir().resolve("teachers"));
        // With cache = false the teacher is trained anew and replaces the cached entry.
        TeacherCache.Outcome outcome = cache.obtain(key, training.getBoolean("cache"), teacher.model(), model -> {
            console.printf("Training the teacher '%s': no cached teacher matches key %s%n",
                    config.getString("teacher.type"), key);
            DistillationLoss taskOnly = binder.create(ComponentKind.METHOD, "teacher-training",
                    ConfigFactory.parseMap(Map.of("type", TASK_ONLY_METHOD)), context);
            DistillationLoop loop = new DistillationLoop(task, dataset, settings, seed,
                    prefixed("teacher/", metrics), new ConsoleProgress("teacher", console));
            loop.train(teacher, null, taskOnly);
            return testMetric(teacher, task, dataset, config, context.getManager());
        });
        if (outcome.fromCache()) {
            console.printf("Reusing the cached teacher '%s' from %s (trained in %.0f s)%n",
                    config.getString("teacher.type"), outcome.directory(), outcome.trainingSeconds());
        } else {
            teacherAccuracy.put(outcome.key(), outcome.testTop1());
            console.printf("Teacher trained in %.0f s, test top-1 %.4f; cached in %s%n",
                    outcome.trainingSeconds(), outcome.testTop1(), outcome.directory());
        }
        return outcome;
    }

    /**
     * Measures the teacher (once per teacher, metric and batch size in this process) and returns
     * the listener that measures the student when its training starts.
     */
    private FlowRecorder startFlowReport(
            Config config,
            TappedModel teacher,
            TeacherCache.Outcome teacherOutcome,
            LabeledDataset dataset,
            int batchSize,
            JobContext context,
            NDManager manager,
            LoopListener progress) {
        FlowChoice choice = FlowChoice.of(config);
        Config metricSection = choice.metricSection();
        FlowMetric metric = context.createComponent(ComponentKind.FLOW_METRIC, metricSection);
        FlowMeasurement measurement =
                FlowMeasurement.onTrainingBatches(metric, dataset.getSplit(Split.TRAIN), batchSize);
        String teacherKey = teacherOutcome.key() + "|";
        if (!teacherOutcome.fromCache()) {
            // Trained in this job: profiles of an earlier model under the same key are stale.
            teacherProfiles.keySet().removeIf(key -> key.startsWith(teacherKey));
        }
        double[] teacherProfile = teacherProfiles.computeIfAbsent(
                teacherKey + render(metricSection) + "|" + batchSize,
                key -> measurement.meanProfile(teacher, manager));
        return new FlowRecorder(progress, choice.metricName(), choice.distribution(), measurement,
                teacherProfile, manager);
    }

    private static void putIfMeasured(Map<String, Object> summary, String key, Map<String, ?> section) {
        if (!section.isEmpty()) {
            summary.put(key, section);
        }
    }

    /**
     * Counts a model's multiply-accumulates before anything trains: it needs no weights and takes
     * milliseconds, so an architecture holding a block the counter cannot count fails now, not
     * after the teacher trained and the student distilled.
     */
    private static void preflightMacCount(Model model, Shape sampleShape) {
        try {
            MacCounter.count(model.getBlock(), sampleShape);
        } catch (FadException e) {
            // INTERNAL: a transposed convolution, countable only once initialised; the count after
            // distillation covers it. Blocks that cannot be counted at all are a user's error.
            if (e.getErrorCode() != ErrorCode.INTERNAL) {
                throw e;
            }
        }
    }

    /**
     * Returns the teacher's §13 figures, measured once per teacher and timing settings in this
     * process. The weight size is that of the cache entry's weight file.
     */
    private ModelMeasurements measureTeacher(
            CompressionMeter meter, TimingSettings timing, Model teacherModel, TeacherCache.Outcome teacherOutcome,
            Shape sampleShape) {
        String teacherKey = teacherOutcome.key() + "|";
        if (!teacherOutcome.fromCache()) {
            // Trained in this job: figures of an earlier model under the same key are stale.
            teacherFigures.keySet().removeIf(key -> key.startsWith(teacherKey));
        }
        return teacherFigures.computeIfAbsent(teacherKey + timing, key -> meter.measure(teacherModel.getBlock(),
                teacherModel.getNDManager(), sampleShape, teacherOutcome.directory()));
    }

    /** The {@code measurement} object of {@code summary.json}: where the timings were taken. */
    private static Map<String, Object> describe(MeasurementEnvironment environment) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("engine", environment.engine());
        description.put("device", environment.device());
        description.put("threads", environment.threads());
        return description;
    }

    /** Tracking params (strings, as MLflow's are) named {@code prefix + key}. */
    private static Map<String, String> prefixed(String prefix, Map<String, Object> entries) {
        Map<String, String> params = new LinkedHashMap<>();
        entries.forEach((key, value) -> params.put(prefix + key, String.valueOf(value)));
        return params;
    }

    /**
     * Passes the loop's events on to the progress display, and measures the student's flow profile
     * when training starts (the loop has just initialised it) and, through {@link #finish}, after.
     */
    private static final class FlowRecorder implements LoopListener {
        private final LoopListener progress;
        private final String metricName;
        private final DepthDistribution distribution;
        private final FlowMeasurement measurement;
        private final double[] teacherProfile;
        private final NDManager manager;
        private double[] studentBefore;
        private long measuringNanos;

        FlowRecorder(
                LoopListener progress,
                String metricName,
                DepthDistribution distribution,
                FlowMeasurement measurement,
                double[] teacherProfile,
                NDManager manager) {
            this.progress = requireNonNull(progress, "progress is null");
            this.metricName = requireNonNull(metricName, "metricName is null");
            this.distribution = requireNonNull(distribution, "distribution is null");
            this.measurement = requireNonNull(measurement, "measurement is null");
            this.teacherProfile = requireNonNull(teacherProfile, "teacherProfile is null");
            this.manager = requireNonNull(manager, "manager is null");
        }

        @Override
        public void onTrainingStart(TappedModel student) {
            long start = System.nanoTime();
            studentBefore = measurement.meanProfile(student, manager);
            measuringNanos += System.nanoTime() - start;
            progress.onTrainingStart(student);
        }

        /** Time spent measuring the student's profile inside the training loop, in nanoseconds. */
        long measuringNanos() {
            return measuringNanos;
        }

        @Override
        public void onEpochStart(int epoch, int epochs, int steps) {
            progress.onEpochStart(epoch, epochs, steps);
        }

        @Override
        public void onStep(double loss) {
            progress.onStep(loss);
        }

        @Override
        public void onEpochEnd(EpochReport report) {
            progress.onEpochEnd(report);
        }

        /** Measures the trained student and writes the plots into the job directory. */
        FlowReport finish(TappedModel student, Path directory) throws IOException {
            if (studentBefore == null) {
                throw new IllegalStateException("the training loop never reported its start");
            }
            double[] studentAfter = measurement.meanProfile(student, manager);
            FlowReport report = FlowReport.of(
                    metricName, teacherProfile, studentBefore, studentAfter, distribution, manager);
            FlowPlots.write(report, directory);
            return report;
        }
    }

    private static double testMetric(
            TappedModel model, Task task, LabeledDataset dataset, Config config, NDManager manager) {
        int batchSize = config.getInt("trainer.eval-batch-size");
        return Evaluation.evaluate(model, task, dataset.getSplit(Split.TEST), batchSize, manager)
                .get(task.getPrimaryMetric());
    }

    /** A new model named {@code name} holding the architecture's block for the dataset; the caller closes it. */
    static Model newModel(String name, Architecture architecture, LabeledDataset dataset) {
        Model model = Model.newInstance(name);
        model.setBlock(architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount()));
        return model;
    }

    static TappedModel tapped(String name, Model model, Architecture architecture) {
        return new TappedModel(name, model, architecture.getTapNames(), architecture.getEmbeddingSource());
    }

    private static MetricSink prefixed(String prefix, MetricSink sink) {
        return (key, value, step) -> sink.metric(prefix + key, value, step);
    }

    /** Renders a config as HOCON without origin comments, keys sorted: stable for hashing and diffing. */
    public static String render(Config config) {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    static Map<String, String> flatten(Config config) {
        Map<String, String> params = new TreeMap<>();
        config.entrySet().forEach(entry -> params.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped())));
        return params;
    }

    private static void writeSummary(Path directory, Map<String, Object> summary) {
        try {
            JSON.writeValue(directory.resolve("summary.json").toFile(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write summary.json in " + directory, e);
        }
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ignored) {
            // the failure itself is already in summary.json and the spool
        }
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
