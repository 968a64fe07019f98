package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fadkd.api.Architecture;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MetricSink;
import org.fadkd.api.StageResult;
import org.fadkd.api.StageSettings;
import org.fadkd.api.TrainerHost;
import org.fadkd.api.TrainingModel;
import org.fadkd.api.TrainingStage;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.measure.SavedWeights;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.teacher.TeacherLogits;
import org.fadkd.engine.train.Checkpoint;
import org.fadkd.engine.train.ConsoleProgress;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.EpochReport;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.engine.train.LoopListeners;
import org.fadkd.api.TaskLoss;
import org.fadkd.api.block.MacCounted;
import org.fadkd.engine.train.TrainingOutcome;
import org.fadkd.engine.train.TrainingSettings;

/**
 * The host side of a job's {@link org.fadkd.api.DistillationTrainer}: runs each stage the trainer
 * describes with the default {@link DistillationLoop}, and keeps what the job reports afterwards
 * (the student's epochs, the trainer's own metrics, the further models it built).
 *
 * <p>Per stage: a fresh method from the stage's section (the task loss alone without one); the
 * teacher-flow cache when the stage learns from the job's teacher; the learner's later top-level
 * stages frozen when the stage trains only up to a tap; checkpoints in {@code
 * checkpoint/<stage>/}, so that a resumed job reloads finished stages instead of training them
 * again. The student's metrics keep their names ({@code train/...}, {@code val/...}) with epochs
 * counted on across its stages; a further model's are prefixed with its name.
 */
final class JobTrainerHost implements TrainerHost, AutoCloseable {
    private final JobComponents job;
    private final TappedModel teacher;
    private final TappedModel student;
    private final int jobNumber;
    private final String label;
    private final MetricSink metrics;
    private LoopListener studentListener;
    private final Path directory;
    private final PrintStream console;
    private final TeacherFlowStep teacherFlow;
    private final Map<String, Object> jobMetrics;
    private final Map<String, TappedModel> models = new LinkedHashMap<>();
    private final Map<String, Integer> epochsTrained = new LinkedHashMap<>();
    private final Set<String> stageNames = new HashSet<>();
    private final List<EpochReport> studentEpochs = new ArrayList<>();
    private final Map<String, Double> reported = new LinkedHashMap<>();
    private TrainingOutcome lastStudentStage;
    /** The student's epochs before its last stage: the offset of that stage's epoch numbers. */
    private int lastStudentStageStart;
    private boolean training;

    /**
     * @param directory the job directory: checkpoints and further models' weights go there
     * @param jobMetrics the job's metrics, which get {@code teacher_flow_cached} and {@code
     *     teacher_forward_skipped} from the student's stages that learn from the teacher
     */
    JobTrainerHost(JobComponents job, TappedModel teacher, TappedModel student, int jobNumber, String label,
            MetricSink metrics,
            Path directory, JobSession session, Map<String, Object> jobMetrics) {
        this.job = requireNonNull(job, "job is null");
        this.teacher = requireNonNull(teacher, "teacher is null");
        this.student = requireNonNull(student, "student is null");
        this.jobNumber = jobNumber;
        this.label = requireNonNull(label, "label is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.studentListener = LoopListener.NONE;
        this.directory = requireNonNull(directory, "directory is null");
        this.console = session.console();
        this.teacherFlow = new TeacherFlowStep(session.cacheDir(), console);
        this.jobMetrics = requireNonNull(jobMetrics, "jobMetrics is null");
    }

    @Override
    public TrainingModel teacher() {
        return teacher;
    }

    @Override
    public TrainingModel student() {
        return student;
    }

    @Override
    public Config method() {
        return job.methodSection();
    }

    @Override
    public StageSettings settings() {
        return job.settings().stageSettings();
    }

    @Override
    public TrainingModel newModel(String name, Config architecture) {
        if (name.equals(teacher.name()) || name.equals(student.name()) || models.containsKey(name)
                || !name.matches("[a-z][a-z0-9-]*")) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "A trainer asked for a model named '%s'; names are lowercase kebab case and unique in the job,"
                            + " and not 'teacher' or 'student'.", name));
        }
        Architecture built = job.architecture("trainer." + name, architecture);
        Model model = job.newModel(name, built);
        TappedModel tapped = JobComponents.tapped(name, model, built);
        models.put(name, tapped);
        return tapped;
    }

    /**
     * Starts the training phase ({@link #runStage} is refused before, during the trainer's
     * preflight); {@code listener} hears the student's stages.
     */
    void startTraining(LoopListener listener) {
        studentListener = requireNonNull(listener, "listener is null");
        training = true;
    }

    @Override
    public StageResult runStage(TrainingStage stage) {
        if (!training) {
            throw new IllegalStateException("runStage is not allowed in a trainer's preflight");
        }
        if (!stage.name().matches("[a-z][a-z0-9-]*") || !stageNames.add(stage.name())) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "Training stage name '%s' is not lowercase kebab case, or is used twice in one job.", stage.name()));
        }
        TappedModel learner = resolve(stage.learner());
        if (learner == teacher) {
            throw new FadException(ErrorCode.CONFIG_INVALID,
                    "Stage '" + stage.name() + "' trains the job's teacher; a stage trains the student or a model"
                            + " the trainer built.");
        }
        TappedModel stageTeacher = stage.teacher() == null ? null : resolve(stage.teacher());
        DistillationLoss loss = stage.method() == null
                ? new TaskLoss()
                : job.method("trainer stage '" + stage.name() + "' method", stage.method());
        TeacherLogits logits = teacherFlow(stage, loss, learner, stageTeacher);
        boolean isStudent = learner == student;
        String prefix = isStudent ? "" : learner.name() + "/";
        int offset = epochsTrained.getOrDefault(learner.name(), 0);
        MetricSink stageMetrics = (key, value, step) -> metrics.metric(prefix + key, value, step + offset);
        LoopListener progress = new ConsoleProgress(label + " " + stage.name(), console);
        Path checkpoints = job.settings().checkpoints() ? directory.resolve("checkpoint").resolve(stage.name()) : null;
        if (checkpoints != null && Checkpoint.exists(checkpoints)) {
            console.printf("Resuming job %d from its checkpoint in %s (stage '%s')%n", jobNumber, checkpoints,
                    stage.name());
        }
        DistillationLoop loop = new DistillationLoop(job.task(), job.dataset(), trainingSettings(stage.settings()),
                job.settings().seed(), stageMetrics, isStudent ? LoopListeners.of(studentListener, progress) : progress,
                checkpoints);
        // A stage that trains the whole student ends on its best validation epoch; a hint stage
        // (up to a tap) has no meaningful validation accuracy, so it keeps its last.
        if (isStudent && stage.trainsUpToTap() == null && job.settings().validation().keepBest()) {
            loop.keepingBestEpoch();
        }
        List<Parameter> frozen = stage.trainsUpToTap() == null ? List.of() : freezeAfter(learner, stage);
        TrainingOutcome outcome;
        try {
            outcome = loop.train(learner, stageTeacher, loss, logits);
        } finally {
            frozen.forEach(parameter -> parameter.freeze(false));
        }
        epochsTrained.merge(learner.name(), outcome.epochs().size(), Integer::sum);
        if (isStudent) {
            lastStudentStageStart = studentEpochs.size();
            studentEpochs.addAll(outcome.epochs());
            lastStudentStage = outcome;
        }
        return new StageResult(outcome.primaryMetric(), outcome.best(), outcome.bestEpoch(), outcome.last(),
                outcome.epochs().size());
    }

    /**
     * Gives the stage's method the job teacher's cached flow profile and, with {@code
     * teacher-flow.logits}, returns the cached logits; for another teacher (an assistant) the
     * method works from each batch's profile.
     */
    private TeacherLogits teacherFlow(TrainingStage stage, DistillationLoss loss, TappedModel learner,
            TappedModel stageTeacher) {
        if (stageTeacher != teacher || stage.method() == null) {
            return null;
        }
        Optional<TeacherFlowCache.Outcome> outcome = teacherFlow.apply(job, stage.method(), loss, teacher);
        TeacherLogits logits = outcome.map(TeacherFlowCache.Outcome::logits).orElse(null);
        if (learner != student) {
            return logits;
        }
        outcome.ifPresent(found -> jobMetrics.put("teacher_flow_cached", found.fromCache()));
        boolean skipped = DistillationLoop.skipsTeacherForward(loss, logits);
        if (job.settings().teacherFlow().logits()) {
            String method = stage.method().getString("type");
            console.println(skipped
                    ? "Teacher forward skipped: teacher outputs come from the cached logits."
                    : logits == null
                            ? String.format("Teacher forward not skipped: method '%s' gets no teacher flow profile,"
                                    + " and the logits are cached only with it.", method)
                            : String.format("Teacher forward not skipped: method '%s' needs more from the teacher than"
                                    + " its logits.", method));
        }
        jobMetrics.put("teacher_forward_skipped", skipped);
        return logits;
    }

    private TrainingSettings trainingSettings(StageSettings stage) {
        TrainingSettings shared = job.settings().trainer();
        return new TrainingSettings(stage.epochs(), shared.batchSize(), shared.evalBatchSize(), stage.optimizer(),
                stage.learningRate(), stage.momentum(), stage.weightDecay(), stage.schedule(), shared.milestones(),
                shared.gamma(), shared.augment(), shared.prefetch());
    }

    /**
     * Freezes the parameters of the learner's top-level blocks after the one whose output is the
     * stage's tap, and returns them. The learner's top-level children are named by their taps
     * ({@link org.fadkd.api.block.TappedSequentialBlock}); a tap that names none is an error.
     */
    private List<Parameter> freezeAfter(TappedModel learner, TrainingStage stage) {
        List<String> taps = learner.tapNames();
        String tap = TrainingStage.MIDDLE_TAP.equals(stage.trainsUpToTap()) && !taps.contains(TrainingStage.MIDDLE_TAP)
                ? taps.get((taps.size() - 1) / 2)
                : stage.trainsUpToTap();
        List<Pair<String, Block>> children = learner.model().getBlock().getChildren().stream().toList();
        int last = -1;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).getKey().replaceFirst("^\\d+", "").equals(tap)) {
                last = i;
            }
        }
        if (last < 0) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Stage '%s' trains '%s' up to tap '%s', but no top-level block of '%s' produces that tap; its taps:"
                            + " %s. Name one of them, or 'middle'.", stage.name(), learner.name(), tap, learner.name(),
                    taps));
        }
        List<Parameter> frozen = new ArrayList<>();
        for (int i = last + 1; i < children.size(); i++) {
            for (Pair<String, Parameter> parameter : children.get(i).getValue().getParameters()) {
                if (parameter.getValue().requiresGradient()) {
                    parameter.getValue().freeze(true);
                    frozen.add(parameter.getValue());
                }
            }
        }
        return frozen;
    }

    private TappedModel resolve(TrainingModel model) {
        if (model == teacher || model == student) {
            return (TappedModel) model;
        }
        TappedModel found = models.get(model.name());
        if (found != model) {
            throw new IllegalArgumentException("model '" + model.name() + "' is not one of this job's");
        }
        return found;
    }

    @Override
    public void report(Map<String, Double> values) {
        values.forEach((key, value) -> {
            if (!key.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("metric name '" + key + "' is not lowercase with '_'");
            }
            reported.put(key, value);
        });
    }

    /** The student's last stage; throws when the trainer never trained the student. */
    TrainingOutcome studentOutcome() {
        if (lastStudentStage == null) {
            throw new FadException(ErrorCode.INTERNAL, "The trainer finished without a stage that trains the student.");
        }
        return lastStudentStage;
    }

    /** The epoch (1-based, counted on across the student's stages) that reached the last stage's best. */
    int studentBestEpoch() {
        return lastStudentStageStart + studentOutcome().bestEpoch();
    }

    /** The epoch (counted as {@link #studentBestEpoch}) whose weights the student holds after training. */
    int studentKeptEpoch() {
        return lastStudentStageStart + studentOutcome().keptEpoch();
    }

    /** Every epoch report of the student's stages, in order. */
    List<EpochReport> studentEpochs() {
        return List.copyOf(studentEpochs);
    }

    /**
     * The trainer's own metrics, then per further model its parameters, GFLOPs and saved weight
     * size (its weights are saved in {@code <job dir>/<name>/}).
     */
    Map<String, Object> trainerMetrics() {
        Map<String, Object> result = new LinkedHashMap<>(reported);
        for (TappedModel model : models.values()) {
            Block block = model.model().getBlock();
            result.put(model.name() + "_params", ParameterCount.trainable(block));
            long macs = MacCounter.count(block, InputShapes.perSample(job.dataset()));
            if (macs != MacCounted.UNKNOWN) {
                result.put(model.name() + "_gflops", macs / 1e9);
            }
            Path weights = directory.resolve(model.name());
            try {
                Files.createDirectories(weights);
                model.model().save(weights, model.name());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save model '" + model.name() + "' in " + weights, e);
            }
            result.put(model.name() + "_size_mb", SavedWeights.megabytes(SavedWeights.bytes(weights)));
        }
        return result;
    }

    @Override
    public void close() {
        models.values().forEach(model -> model.model().close());
        models.clear();
    }
}
