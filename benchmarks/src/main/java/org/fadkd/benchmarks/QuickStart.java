package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.job.JobComponents;
import org.fadkd.engine.job.JobSettings;
import org.fadkd.engine.job.TeacherFlowStep;
import org.fadkd.api.TaskLoss;

/**
 * The quick start's job pieces, built the way {@code ./runner --experiment fashion_mnist_quickstart}
 * builds them: from its composed config ({@link QuickStartConfig}), with the runner's teacher-flow
 * step, and trained by FAD's {@link DistillationLoop}. Two things differ from a real job, both stated in the results: the teacher has
 * random weights (no step costs more or less for trained ones), and a run sees only the first
 * samples of the training split, so that an epoch is as many steps as a benchmark wants.
 *
 * <p>Teacher-flow cache entries go to a temporary directory that {@link #close} deletes, so the
 * user's {@code ~/.fad/cache} is neither read nor written.
 */
final class QuickStart implements AutoCloseable {
    /** What the results say about the teacher's weights. */
    static final String TEACHER_WEIGHTS =
            "random initialisation (seeded); step cost and memory do not depend on the weights' values";
    private static final MetricSink NO_METRICS = (key, value, step) -> {};
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final QuickStartConfig quickStartConfig;
    private final ComponentBinder binder;
    private final NDManager manager;
    private final JobContext context;
    private final Config baseConfig;
    private final LabeledDataset dataset;
    private final Model teacherModel;
    private final TappedModel teacher;
    private final Path flowCacheRoot;

    QuickStart(QuickStartConfig quickStartConfig) {
        this.quickStartConfig = requireNonNull(quickStartConfig, "quickStartConfig is null");
        binder = quickStartConfig.binder();
        try {
            flowCacheRoot = Files.createTempDirectory("fad-benchmarks-cache");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary teacher-flow cache", e);
        }
        manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
        baseConfig = compose(List.of());
        context = new JobContext(manager, baseConfig.getLong("seed"), flowCacheRoot, NO_METRICS, binder,
                quickStartConfig.layout().dataSearchPath());
        dataset = binder.create(ComponentKind.DATASET, "data", baseConfig.getConfig("data"), context);
        teacherModel = newModel("teacher", baseConfig, true);
        teacher = tapped("teacher", teacherModel, baseConfig);
    }

    /** See {@link QuickStartConfig#compose}. */
    Config compose(List<String> overrides) {
        return quickStartConfig.compose(overrides);
    }

    /** The quick start without overrides. */
    Config baseConfig() {
        return baseConfig;
    }

    Path dataDirectory() {
        return quickStartConfig.dataDirectory();
    }

    /** The whole dataset. */
    LabeledDataset dataset() {
        return dataset;
    }

    /** The teacher, initialised with random weights; shared by every run of this process. */
    TappedModel teacher() {
        return teacher;
    }

    /** A freshly initialised student of the quick start, to count its parameters; the caller closes its model. */
    TappedModel newStudent() {
        Model model = newModel("student", baseConfig, true);
        return tapped("student", model, baseConfig);
    }

    /**
     * Distils a fresh student as a job of the quick start composed with {@code overrides} would,
     * for {@code trainer.epochs} epochs over the first {@code trainingSamples} training samples.
     *
     * @param evaluationSamples samples of the validation pass at each epoch's end
     * @throws FadException as the job would, e.g. when the flow metric cannot profile the teacher
     */
    DistillationRun distill(List<String> overrides, int trainingSamples, int evaluationSamples) {
        Config config = compose(overrides);
        LabeledDataset data = new DatasetPrefix(dataset, trainingSamples, evaluationSamples);
        Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
        DistillationLoss method = binder.create(ComponentKind.METHOD, "method", config.getConfig("method"), context);
        TrainingSettings trainer = TrainingSettings.from(config.getConfig("trainer"), "trainer");
        JobComponents job = new JobComponents(config, JobSettings.from(config), task, data,
                binder.create(ComponentKind.ARCHITECTURE, "teacher", config.getConfig("teacher"), context),
                binder.create(ComponentKind.TRAINER, "trainer", JobComponents.trainerSection(config), context),
                binder, context);
        try (Model studentModel = newModel("student", config, false)) {
            Optional<TeacherFlowCache.Outcome> flow =
                    new TeacherFlowStep(flowCacheRoot, QUIET).apply(job, job.methodSection(), method, teacher);
            StepClock clock = new StepClock();
            new DistillationLoop(task, data, trainer, config.getLong("seed"), NO_METRICS, clock)
                    .train(tapped("student", studentModel, config), teacher, method,
                            flow.map(TeacherFlowCache.Outcome::logits).orElse(null));
            return new DistillationRun(clock, flow.orElse(null));
        }
    }

    /**
     * Trains a fresh teacher as the runner does when no cached teacher matches (task loss only, the
     * {@code teacher-training} settings), for {@code teacher-training.epochs} epochs over the first
     * {@code trainingSamples} training samples.
     */
    StepClock trainTeacher(List<String> overrides, int trainingSamples, int evaluationSamples) {
        Config config = compose(overrides);
        Config training = config.getConfig("teacher-training");
        LabeledDataset data = new DatasetPrefix(dataset, trainingSamples, evaluationSamples);
        Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
        DistillationLoss taskOnly = new TaskLoss();
        try (Model model = newModel("teacher", config, false)) {
            StepClock clock = new StepClock();
            new DistillationLoop(task, data, TrainingSettings.from(training, "teacher-training"),
                    training.getLong("seed"), NO_METRICS, clock)
                    .train(tapped("teacher", model, config), null, taskOnly);
            return clock;
        }
    }

    /** What a distillation run measured, and what the teacher-flow step did before it (null when nothing). */
    record DistillationRun(StepClock clock, TeacherFlowCache.Outcome flow) {}

    @Override
    public void close() {
        teacherModel.close();
        manager.close();
        try {
            FileTrees.deleteRecursively(flowCacheRoot);
        } catch (IOException e) {
            System.err.println("Could not delete the temporary teacher-flow cache " + flowCacheRoot + ": " + e);
        }
    }

    /**
     * A model of the config's architecture for {@code role} ({@code teacher} or {@code student}).
     *
     * @param randomWeights initialise it now with seeded random weights; false leaves that to the
     *     trainer of a {@link DistillationLoop}
     */
    private Model newModel(String role, Config config, boolean randomWeights) {
        Architecture architecture = architecture(role, config);
        Model model = Model.newInstance(role);
        model.setBlock(architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount()));
        if (randomWeights) {
            Engine.getInstance().setRandomSeed((int) config.getLong("seed"));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, InputShapes.withBatch(dataset, 1));
        }
        return model;
    }

    private TappedModel tapped(String role, Model model, Config config) {
        Architecture architecture = architecture(role, config);
        return new TappedModel(role, model, architecture.getTapNames(), architecture.getEmbeddingSource());
    }

    private Architecture architecture(String role, Config config) {
        return binder.create(ComponentKind.ARCHITECTURE, role, config.getConfig(role), context);
    }
}
