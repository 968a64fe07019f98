package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.api.PretrainedWeights;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.data.HeldOutValidation;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.measure.ModelMeasurements;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherCache;
import org.fadkd.engine.train.ConsoleProgress;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.api.TaskLoss;
import org.fadkd.engine.train.TrainingSettings;

/**
 * What the jobs of one process share: the component binder, where caches and data live, the
 * console, and what is costly to compute twice — datasets, and each teacher's accuracy, flow
 * profiles and §13 figures. Jobs of a sweep run one after another on one session.
 */
public final class JobSession {
    /**
     * How far a cached teacher's re-measured test top-1 may lie from the recorded one: evaluation
     * is deterministic on one machine, so only float summation order across engines moves it.
     */
    private static final double CACHED_ACCURACY_TOLERANCE = 0.01;

    private final ComponentBinder binder;
    private final Path cacheDir;
    private final List<Path> dataSearchPath;
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

    /**
     * @param cacheDir the project's cache directory (teachers, teacher-flow entries)
     * @param dataSearchPath where datasets look for their files
     */
    public JobSession(ComponentBinder binder, Path cacheDir, List<Path> dataSearchPath, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.cacheDir = requireNonNull(cacheDir, "cacheDir is null");
        this.dataSearchPath = List.copyOf(dataSearchPath);
        this.console = requireNonNull(console, "console is null");
    }

    public ComponentBinder binder() {
        return binder;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public List<Path> dataSearchPath() {
        return dataSearchPath;
    }

    public PrintStream console() {
        return console;
    }

    /** A job context on {@code manager}; the caller closes the manager. */
    public JobContext context(NDManager manager, long seed, Path workDirectory, MetricSink metrics) {
        return new JobContext(manager, seed, workDirectory, metrics, binder, dataSearchPath);
    }

    /**
     * Returns the job's dataset, created once per distinct data section and validation hold-out,
     * with the hold-out applied ({@link #withValidation}).
     */
    public LabeledDataset dataset(Config config, JobContext context) {
        Config section = config.getConfig("data");
        double holdOut = JobSettings.Validation.from(config).holdOut();
        return datasets.computeIfAbsent(ConfigText.render(section) + "|hold-out " + holdOut,
                key -> HeldOutValidation.of(binder.create(ComponentKind.DATASET, "data", section, context), holdOut));
    }

    /**
     * {@code data} as a job of {@code config} sees it: with part of its training split held out as
     * validation when it has no validation split of its own ({@code validation.hold-out}).
     */
    public static LabeledDataset withValidation(LabeledDataset data, Config config) {
        return HeldOutValidation.of(data, JobSettings.Validation.from(config).holdOut());
    }

    /** A new model named {@code name} holding the architecture's block for the dataset; the caller closes it. */
    public static Model newModel(String name, Architecture architecture, LabeledDataset dataset) {
        Model model = Model.newInstance(name);
        model.setBlock(architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount()));
        return model;
    }

    /**
     * Obtains the job's teacher: loads the cached one whose key (teacher, teacher-training, task,
     * data and block class) matches into {@code teacher}, or trains it on the task loss alone and
     * caches it. A teacher that brings trained weights is measured as it is ({@link #loadTeacher}),
     * unless {@code teacher-training.fine-tune} asks to train it further: it is then trained like
     * any teacher, starting from its weights (loaded when the block is initialised), and cached
     * under a key that also covers the weights file's content.
     *
     * @param metrics where the teacher's training reports, its keys prefixed {@code teacher/}
     */
    public TeacherCache.Outcome obtainTeacher(Config config, JobSettings.TeacherTraining training, TappedModel teacher,
            Optional<PretrainedWeights> pretrained, Task task, LabeledDataset dataset, int evalBatchSize,
            NDManager manager, MetricSink metrics) {
        if (pretrained.isPresent() && !training.fineTune()) {
            return loadTeacher(config, pretrained.get(), teacher, task, dataset, evalBatchSize, manager);
        }
        TrainingSettings settings = training.training();
        List<String> keyParts = new ArrayList<>(List.of(
                ConfigText.canonical(config.getConfig("teacher")),
                ConfigText.canonical(teacherRecipe(config.getConfig("teacher-training"))),
                ConfigText.canonical(config.getConfig("task")),
                dataset.getFingerprint(),
                teacher.model().getBlock().getClass().getName()));
        // The teacher section names the file; its fingerprint notices the file replaced under that name.
        pretrained.ifPresent(weights -> keyParts.add(weights.fingerprint()));
        String key = TeacherCache.key(keyParts);
        TeacherCache cache = new TeacherCache(cacheDir.resolve("teachers"),
                message -> console.println("WARNING: " + message));
        ToDoubleFunction<Model> trainTeacher = model -> {
            if (pretrained.isPresent()) {
                console.printf("Fine-tuning the teacher '%s' from %s: no cached teacher matches key %s%n",
                        config.getString("teacher.type"), pretrained.get().file(), key);
            } else {
                console.printf("Training the teacher '%s': no cached teacher matches key %s%n",
                        config.getString("teacher.type"), key);
            }
            DistillationLoop loop = new DistillationLoop(task, dataset, settings, training.seed(),
                    (name, value, step) -> metrics.metric("teacher/" + name, value, step),
                    new ConsoleProgress("teacher", console));
            loop.train(teacher, null, new TaskLoss());
            return testMetric(teacher, task, dataset, evalBatchSize, manager);
        };
        // With cache = false the teacher is trained anew and replaces the cached entry.
        TeacherCache.Outcome outcome = cache.obtain(key, training.cache(), teacher.model(), trainTeacher);
        if (outcome.fromCache()) {
            // Checksums catch a damaged file; the accuracy catches weights that load but are not the
            // ones measured when stored (another engine build, data changed behind its fingerprint).
            double measured = teacherTop1(outcome, () -> testMetric(teacher, task, dataset, evalBatchSize, manager));
            if (Math.abs(measured - outcome.testTop1()) > CACHED_ACCURACY_TOLERANCE) {
                console.printf("WARNING: the cached teacher in %s measures test top-1 %.4f, but %.4f was recorded when"
                        + " it was stored; training it again.%n", outcome.directory(), measured, outcome.testTop1());
                teacherAccuracy.remove(outcome.key());
                teacher.model().getBlock().getParameters().values().forEach(Parameter::close);
                outcome = cache.obtain(key, false, teacher.model(), trainTeacher);
            }
        }
        if (outcome.fromCache()) {
            console.printf("Reusing the cached teacher '%s' from %s (trained in %.0f s)%n",
                    config.getString("teacher.type"), outcome.directory(), outcome.trainingSeconds());
        } else {
            forgetTeacher(outcome.key());
            teacherAccuracy.put(outcome.key(), outcome.testTop1());
            console.printf("Teacher trained in %.0f s, test top-1 %.4f; cached in %s%n",
                    outcome.trainingSeconds(), outcome.testTop1(), outcome.directory());
        }
        return outcome;
    }

    /**
     * A teacher that brings its weights from a file: its block is initialised (which loads them),
     * nothing is trained or cached, and its test top-1 is measured. The key, which the teacher-flow
     * cache and this session's measurements use, covers the file's content.
     */
    private TeacherCache.Outcome loadTeacher(Config config, PretrainedWeights weights, TappedModel teacher, Task task,
            LabeledDataset dataset, int evalBatchSize, NDManager manager) {
        String key = TeacherCache.key(List.of(
                ConfigText.canonical(config.getConfig("teacher")),
                weights.fingerprint(),
                ConfigText.canonical(config.getConfig("task")),
                dataset.getFingerprint(),
                teacher.model().getBlock().getClass().getName()));
        Block block = teacher.model().getBlock();
        if (!block.isInitialized()) {
            block.initialize(teacher.model().getNDManager(), DataType.FLOAT32, InputShapes.withBatch(dataset, 1));
        }
        double top1 = teacherTop1Of(key, () -> testMetric(teacher, task, dataset, evalBatchSize, manager));
        console.printf("Using the pretrained teacher '%s' from %s (not trained): test top-1 %.4f%n",
                config.getString("teacher.type"), weights.file(), top1);
        return new TeacherCache.Outcome(key, false, top1, 0.0, weights.file());
    }

    private double teacherTop1Of(String key, Supplier<Double> measure) {
        return teacherAccuracy.computeIfAbsent(key, ignored -> measure.get());
    }

    /**
     * The teacher-training settings that determine its weights, as its cache key sees them:
     * without {@code cache} and {@code prefetch} (neither changes the weights), without {@code
     * fine-tune} (which only decides whether a teacher with weights is trained at all), without {@code augment} when it is {@code none}, and without {@code
     * milestones} and {@code gamma} unless the schedule is {@code multi-step} (the only one that
     * reads them), so that teachers cached before those keys existed keep their keys.
     */
    private static Config teacherRecipe(Config section) {
        // fine-tune: a teacher without weights ignores it, and one with weights adds the file to its key
        Config recipe = section.withoutPath("cache").withoutPath("prefetch").withoutPath("fine-tune");
        if (!recipe.hasPath("schedule") || !recipe.getString("schedule").equalsIgnoreCase("multi-step")) {
            recipe = recipe.withoutPath("milestones").withoutPath("gamma");
        }
        return recipe.hasPath("augment") && recipe.getString("augment").equals("none")
                ? recipe.withoutPath("augment") : recipe;
    }

    /** The teacher's test top-1, measured once per teacher in this process. */
    double teacherTop1(TeacherCache.Outcome teacher, Supplier<Double> measure) {
        return teacherTop1Of(teacher.key(), measure);
    }

    /** The teacher's mean flow profile for a metric and batch size, measured once per teacher in this process. */
    double[] teacherProfile(TeacherCache.Outcome teacher, String metricAndBatch, Supplier<double[]> measure) {
        return teacherProfiles.computeIfAbsent(teacher.key() + "|" + metricAndBatch, key -> measure.get());
    }

    /** The teacher's §13 figures for some timing settings, measured once per teacher in this process. */
    ModelMeasurements teacherFigures(TeacherCache.Outcome teacher, String timing, Supplier<ModelMeasurements> measure) {
        return teacherFigures.computeIfAbsent(teacher.key() + "|" + timing, key -> measure.get());
    }

    /** Drops what was measured of an earlier teacher under the same key: one trained now replaces it. */
    private void forgetTeacher(String key) {
        String prefix = key + "|";
        teacherProfiles.keySet().removeIf(entry -> entry.startsWith(prefix));
        teacherFigures.keySet().removeIf(entry -> entry.startsWith(prefix));
    }

    static double testMetric(TappedModel model, Task task, LabeledDataset dataset, int evalBatchSize, NDManager manager) {
        return Evaluation.evaluate(model, task, dataset.getSplit(Split.TEST), evalBatchSize, manager)
                .get(task.getPrimaryMetric());
    }
}
