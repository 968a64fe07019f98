package org.fadkd.engine.train;

import static java.util.Objects.requireNonNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Split;
import org.fadkd.api.TapLayout;
import org.fadkd.api.Task;
import org.fadkd.api.TrainingProgress;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherLogits;
import org.fadkd.engine.util.ResidentMemory;

/**
 * The default distillation loop (architecture.md, "One training step"): per batch the teacher runs
 * in inference mode outside the gradient collector, the student runs inside it, the method turns
 * both into a loss, and the optimizer steps. Each epoch ends with a validation pass.
 *
 * <p>Memory: every array of a step lives in a sub-manager that closes when the step ends, so native
 * memory stays flat over a run. Teacher training is this loop with no teacher and a task-only
 * method.
 *
 * <p>Checkpoints (fad-spec §8): given a checkpoint directory, the loop writes a {@link Checkpoint}
 * at the end of every epoch, and when the directory already holds one at the start it resumes
 * from it: the student's weights and the method's state ({@link DistillationLoss#restoreState})
 * are restored, the epoch reports, best metric and global step continue, and training goes on
 * with the next epoch, whose batch plan is the one an uninterrupted run would have drawn (plans
 * are seeded per epoch). The learning-rate schedule continues from the saved global step. The
 * optimizer's moment estimates are not restored: DJL's {@code Adam} (and {@code Sgd}'s momentum)
 * keep them in private fields with no public accessor, so a resumed run starts them at zero (and
 * Adam's bias correction with them). A resumed run is therefore close to, not identical with, an
 * uninterrupted one.
 *
 * <p>Augmentation ({@link TrainingSettings#augment()}): only the batches this loop trains on are
 * augmented, each sample's draw fixed by the seed, the epoch and its index ({@link
 * RandomCropFlip}), so reruns and resumed runs see the same images; validation and everything
 * else that reads the splits see them unchanged.
 *
 * <p>Prefetching ({@link TrainingSettings#prefetch()}): the epoch's training batches, augmented,
 * are built up to that many steps ahead on a loader thread ({@link BatchPrefetcher}), each in its
 * own sub-manager of the run's manager, which the step then uses as its step manager and closes.
 * The plan is fixed when the epoch starts and every draw depends only on the seed, the epoch and
 * the sample, so the batches and the results are the same as with prefetch 0. The loader reads the
 * training split only, and has stopped (and its unused batches are closed) when the epoch's last
 * step ends, fails or stops, before validation reads the data.
 */
public final class DistillationLoop {
    /** The step limit of {@link #train}: every step of every epoch. */
    private static final long WHOLE_RUN = Long.MAX_VALUE;

    private final Task task;
    private final LabeledDataset dataset;
    private final TrainingSettings settings;
    private final long seed;
    private final MetricSink metrics;
    private final LoopListener listener;
    private final Path checkpointDirectory;
    private boolean keepBestEpoch;

    public DistillationLoop(
            Task task,
            LabeledDataset dataset,
            TrainingSettings settings,
            long seed,
            MetricSink metrics,
            LoopListener listener) {
        this(task, dataset, settings, seed, metrics, listener, null);
    }

    /**
     * A loop that checkpoints every epoch into {@code checkpointDirectory} and resumes from the
     * checkpoint found there at the start of {@link #train}.
     *
     * @param checkpointDirectory the directory (created when needed), or null for no checkpoints
     */
    public DistillationLoop(
            Task task,
            LabeledDataset dataset,
            TrainingSettings settings,
            long seed,
            MetricSink metrics,
            LoopListener listener,
            Path checkpointDirectory) {
        this.checkpointDirectory = checkpointDirectory;
        this.task = requireNonNull(task, "task is null");
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.seed = seed;
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /**
     * Makes {@link #train} end on the weights of the epoch best on validation instead of the last
     * epoch's (fad-spec §12.1): the student a job evaluates on test and exports is the one chosen on
     * validation. Call before {@link #train}.
     *
     * @return this loop
     */
    public DistillationLoop keepingBestEpoch() {
        keepBestEpoch = true;
        return this;
    }

    /**
     * Trains {@code student} (its block must be set, not yet initialised) with {@code loss}.
     *
     * @param teacher the teacher, or null when the method needs nothing from one
     */
    public TrainingOutcome train(TappedModel student, TappedModel teacher, DistillationLoss loss) {
        return train(student, teacher, loss, null);
    }

    /**
     * Says whether {@link #train(TappedModel, TappedModel, DistillationLoss, TeacherLogits)} skips
     * the teacher forward for {@code loss} given cached logits (fad-spec §9): the method needs the
     * teacher's output, and either no teacher taps or only taps it can replace with its mean profile
     * ({@link DistillationLoss#canUseMeanProfileAsTarget()}). Ask after the mean profile was set.
     *
     * @param logits the cached logits, or null
     */
    public static boolean skipsTeacherForward(DistillationLoss loss, TeacherLogits logits) {
        Set<BatchField> needs = loss.getRequirements();
        return logits != null && needs.contains(BatchField.TEACHER_OUTPUT)
                && !needs.contains(BatchField.EMBEDDINGS)
                && (!needs.contains(BatchField.TEACHER_TAPS) || loss.canUseMeanProfileAsTarget());
    }

    /**
     * Trains {@code student} as {@link #train(TappedModel, TappedModel, DistillationLoss)} does, but
     * when {@link #skipsTeacherForward} holds, never runs the teacher: each batch's teacher output is
     * built from {@code logits} by its sample indices (in the step's manager), its teacher taps are
     * empty, and the method is prepared with the cached tap layout.
     *
     * @param logits the teacher's logits per training sample, or null to run the teacher per batch
     */
    public TrainingOutcome train(TappedModel student, TappedModel teacher, DistillationLoss loss, TeacherLogits logits) {
        return run(student, teacher, loss, logits, WHOLE_RUN);
    }

    /**
     * Runs the first {@code steps} optimizer steps that {@link #train(TappedModel, TappedModel,
     * DistillationLoss, TeacherLogits)} would run with this loop's settings and seed, and stops:
     * the same initial weights, batches, learning-rate schedule (laid out over the whole run) and
     * gradient guard, but no validation and no checkpoint. Student selection's proxy (fad-spec §10)
     * measures a candidate after such a warm-up and discards the weights.
     *
     * <p>The listener hears each epoch the warm-up enters, with the steps it runs there; its {@link
     * EpochReport}s hold the training means of those steps and no validation. The student holds
     * the warmed-up weights afterwards.
     *
     * @param steps the optimizer steps to run, at least 1
     * @param logits the teacher's logits per training sample, or null to run the teacher per batch
     * @return the steps run: {@code steps}, or all the run's steps when it has fewer
     * @throws IllegalStateException when this loop writes checkpoints: a warm-up must not leave one
     *     that a later run would resume from
     */
    public int warmUp(TappedModel student, TappedModel teacher, DistillationLoss loss, TeacherLogits logits, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a warm-up needs at least 1 step, got " + steps);
        }
        if (checkpointDirectory != null) {
            throw new IllegalStateException("a warm-up does not checkpoint, but this loop writes checkpoints to "
                    + checkpointDirectory);
        }
        run(student, teacher, loss, logits, steps);
        long runSteps = (long) (dataset.getSplit(Split.TRAIN).size() / settings.batchSize()) * settings.epochs();
        return (int) Math.min(steps, runSteps);
    }

    /**
     * Trains for the whole run, or for its first {@code stepLimit} steps without validation or
     * checkpoints when {@code stepLimit} is not {@link #WHOLE_RUN}.
     */
    private TrainingOutcome run(
            TappedModel student, TappedModel teacher, DistillationLoss loss, TeacherLogits logits, long stepLimit) {
        boolean warmUp = stepLimit != WHOLE_RUN;
        long start = System.nanoTime();
        DataSplit trainSplit = dataset.getSplit(Split.TRAIN);
        DataSplit validationSplit = dataset.getSplit(Split.VALIDATION);
        Set<BatchField> needs = loss.getRequirements();
        boolean needsTeacher = needsTeacher(needs);
        TeacherLogits cached = skipsTeacherForward(loss, logits) ? logits : null;
        MethodRequirements.checkEmbeddings(loss.getClass().getSimpleName(), needs, student, teacher);
        if (cached != null && cached.samples() != trainSplit.size()) {
            throw new FadException(ErrorCode.INTERNAL, String.format(
                    "the cached teacher logits cover %d samples but the training split has %d",
                    cached.samples(), trainSplit.size()));
        }
        if (needsTeacher && teacher == null && cached == null) {
            throw new FadException(ErrorCode.INTERNAL, "the method needs a teacher but none was given");
        }
        int stepsPerEpoch = trainSplit.size() / settings.batchSize();
        if (stepsPerEpoch == 0) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "batch-size '%d' is larger than the training split (%d samples).",
                    settings.batchSize(), trainSplit.size()));
        }
        if (cached != null && trainSplit.hasRandomTrainingBatches()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Cached teacher logits (teacher-flow.logits = true)"
                    + " need the same inputs every epoch, but the dataset draws its training inputs at random"
                    + " (e.g. imagefolder's random-resized-crop). Set teacher-flow.logits = false, or turn the"
                    + " dataset's random training transform off.");
        }
        if (cached != null && !settings.augment().equals("none")) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("Cached teacher logits (teacher-flow.logits"
                    + " = true) need the same inputs every epoch, but augment = '%s' changes them. Set"
                    + " teacher-flow.logits = false, or augment = none.", settings.augment()));
        }
        Engine.getInstance().setRandomSeed((int) seed);
        // Before the trainer initialises the block: loaded parameters count as initialised and are kept.
        Optional<Checkpoint> resumed = checkpointDirectory == null
                ? Optional.empty()
                : Checkpoint.load(checkpointDirectory, student.model());
        long startStep = resumed.map(Checkpoint::globalStep).orElse(0L);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(newOptimizer(stepsPerEpoch, startStep))
                .optDevices(new ai.djl.Device[] {student.model().getNDManager().getDevice()});
        List<EpochReport> reports = new ArrayList<>(resumed.map(Checkpoint::reports).orElse(List.of()));
        double best = resumed.map(Checkpoint::best).orElse(Double.NEGATIVE_INFINITY);
        int bestEpoch = resumed.map(Checkpoint::bestEpoch).orElse(0);
        double last = resumed.map(Checkpoint::last).orElse(Double.NaN);
        int firstEpoch = resumed.map(Checkpoint::epoch).orElse(0) + 1;
        int keptEpoch;
        try (Trainer trainer = student.model().newTrainer(config);
                NDManager runManager = student.model().getNDManager().newSubManager()) {
            trainer.initialize(InputShapes.withBatch(dataset, settings.batchSize()));
            prepare(loss, student, cached == null ? teacher : null, cached, trainSplit, runManager);
            RandomCropFlip augmentation = settings.augment().equals("crop-flip")
                    ? RandomCropFlip.forSplit(trainSplit, dataset.getSampleShape(), seed, runManager)
                    : null;
            MethodModules modules = new MethodModules(loss.getTrainableBlocks(), runManager,
                    newOptimizer(stepsPerEpoch, startStep),
                    student.model().getNDManager().getDevice());
            if (resumed.isPresent()) {
                Checkpoint.loadModules(checkpointDirectory, modules);
                if (!resumed.get().methodState().isEmpty()) {
                    loss.restoreState(resumed.get().methodState());
                }
            }
            BestWeights bestWeights = keepBestEpoch ? new BestWeights(student.model().getNDManager()) : null;
            if (bestWeights != null && resumed.isPresent() && bestEpoch > 0) {
                bestWeights.load(checkpointDirectory, bestEpoch);
            }
            listener.onTrainingStart(student);
            long globalStep = startStep;
            GradientGuard guard = new GradientGuard();
            // What progress shows as "epoch e/E": a warm-up of 100 steps spans one epoch, not the recipe's.
            int shownEpochs = warmUp
                    ? (int) Math.min(settings.epochs(), (stepLimit + stepsPerEpoch - 1) / stepsPerEpoch)
                    : settings.epochs();
            for (int epoch = firstEpoch; epoch <= settings.epochs() && globalStep < stepLimit; epoch++) {
                long epochStart = System.nanoTime();
                List<int[]> plan = BatchPlan.plan(trainSplit.size(), settings.batchSize(), true, true, seed * 1_000_003L + epoch);
                if (plan.size() > stepLimit - globalStep) {
                    plan = plan.subList(0, (int) (stepLimit - globalStep));
                }
                listener.onEpochStart(epoch, shownEpochs, plan.size());
                Map<String, Double> sums = new LinkedHashMap<>();
                int loadEpoch = epoch;
                BatchPrefetcher.Loader loader = (manager, indices) -> {
                    LabeledBatch batch = trainSplit.getTrainingBatch(manager, indices, seed, loadEpoch);
                    // The teacher sees the same augmented images as the student.
                    return augmentation == null ? batch : augmentation.apply(batch, indices, loadEpoch, manager);
                };
                // The loader thread reads only the training split, and only until the plan's last
                // batch: it has finished before validation reads the data (DataSplit's contract).
                try (BatchPrefetcher batches = BatchPrefetcher.start(plan, loader, runManager, settings.prefetch(),
                        "fad-batch-loader-epoch-" + epoch)) {
                    for (int[] indices : plan) {
                        StopRequest.check();
                        TrainingProgress progress = new TrainingProgress(epoch, settings.epochs(), globalStep);
                        double total;
                        try (BatchPrefetcher.Prepared prepared = batches.next()) {
                            total = step(trainer, guard, student, modules, loss, teacher, cached, needs, indices,
                                    progress, prepared, sums);
                        }
                        listener.onStep(total, indices.length);
                        globalStep++;
                    }
                }
                Map<String, Double> training = new LinkedHashMap<>();
                int steps = plan.size();
                sums.forEach((key, sum) -> training.put(key, sum / steps));
                Map<String, Double> validation = Map.of();
                if (!warmUp) { // a warm-up's caller measures the student itself
                    validation = Evaluation.evaluate(
                            student, task, validationSplit, settings.evalBatchSize(), runManager);
                    last = validation.getOrDefault(task.getPrimaryMetric(), Double.NaN);
                    if (last > best) {
                        best = last;
                        bestEpoch = epoch;
                        if (bestWeights != null) {
                            bestWeights.capture(student, epoch);
                        }
                    }
                }
                ResidentMemory.release();
                EpochReport report = new EpochReport(epoch, training, validation,
                        (System.nanoTime() - epochStart) / 1e9, ResidentMemory.megabytes());
                record(report);
                reports.add(report);
                if (checkpointDirectory != null) {
                    new Checkpoint(epoch, settings.epochs(), globalStep, best, bestEpoch, last, reports,
                            loss.getState()).write(checkpointDirectory, student.model(), modules);
                    if (bestWeights != null && bestWeights.epoch() == epoch) {
                        bestWeights.save(checkpointDirectory);
                    }
                }
                listener.onEpochEnd(report);
            }
            modules.close();
            keptEpoch = reports.isEmpty() ? 0 : reports.get(reports.size() - 1).epoch();
            if (bestWeights != null) {
                // The model a job evaluates on test and exports is the one chosen on validation.
                if (bestWeights.epoch() > 0 && bestWeights.epoch() != keptEpoch) {
                    bestWeights.restore(student);
                    keptEpoch = bestWeights.epoch();
                }
                bestWeights.close();
            }
        }
        return new TrainingOutcome(task.getPrimaryMetric(), best, bestEpoch, last, keptEpoch, reports,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * @param startStep optimizer steps already taken by the run being resumed: the schedule
     *     continues from there. Only the tracker is shifted, not the optimizer's own update count
     *     ({@code optBeginNumUpdate}), because that count also drives Adam's bias correction, which
     *     must restart with the fresh moment estimates.
     */
    private Optimizer newOptimizer(int stepsPerEpoch, long startStep) {
        int totalSteps = stepsPerEpoch * settings.epochs();
        float rate = (float) settings.learningRate();
        Tracker schedule = switch (settings.schedule()) {
            case "cosine" -> Tracker.cosine().setBaseValue(rate).optFinalValue(0f).setMaxUpdates(totalSteps).build();
            case "one-cycle" -> OneCycleTracker.of(settings.learningRate(), totalSteps);
            case "multi-step" -> new MultiStepTracker(
                    settings.learningRate(), stepsPerEpoch, settings.milestones(), settings.gamma());
            default -> Tracker.fixed(rate);
        };
        int offset = Math.toIntExact(startStep);
        Tracker tracker = offset == 0 ? schedule : numUpdate -> schedule.getNewValue(numUpdate + offset);
        float decay = (float) settings.weightDecay();
        if (settings.optimizer().equals("sgd")) {
            return Optimizer.sgd().setLearningRateTracker(tracker)
                    .optMomentum((float) settings.momentum()).optWeightDecays(decay).build();
        }
        return Optimizer.adam().optLearningRateTracker(tracker).optWeightDecays(decay).build();
    }

    /** Runs one probe batch without gradient so the method can check tap shapes and build its modules. */
    private void prepare(
            DistillationLoss loss, TappedModel student, TappedModel teacher, TeacherLogits cached, DataSplit split,
            NDManager runManager) {
        int[] first = BatchPlan.plan(split.size(), settings.batchSize(), false, true, 0).get(0);
        TapLayout studentLayout;
        TapLayout teacherLayout;
        try (NDManager probeManager = runManager.newSubManager()) {
            LabeledBatch batch = split.getBatch(probeManager, first);
            studentLayout = layout(student, student.infer(batch.inputs()));
            teacherLayout = cached != null
                    ? cached.taps()
                    : teacher == null
                            ? new TapLayout(List.of(), List.of())
                            : layout(teacher, teacher.infer(batch.inputs()));
        }
        int[] labels = loss.getRequirements().contains(BatchField.SAMPLE_INDICES)
                ? split.getClassLabels(runManager)
                : null;
        loss.prepare(new MethodSetup(
                teacherLayout, studentLayout,
                MethodRequirements.embeddingSize(teacher, teacherLayout),
                MethodRequirements.embeddingSize(student, studentLayout),
                teacher == null ? "teacher" : teacher.name(), student.name(),
                runManager, split.size(), labels, settings.epochs(), seed));
    }

    private static TapLayout layout(TappedModel model, NDList outputs) {
        if (outputs.size() != model.tapNames().size() + 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Model '%s' declares %d taps %s but its forward returned %d tap outputs.",
                    model.name(), model.tapNames().size(), model.tapNames(), outputs.size() - 1));
        }
        List<Shape> shapes = new ArrayList<>();
        for (int i = 1; i < outputs.size(); i++) {
            Shape shape = outputs.get(i).getShape();
            shapes.add(shape.slice(1));
        }
        return new TapLayout(model.tapNames(), shapes);
    }

    private double step(
            Trainer trainer,
            GradientGuard guard,
            TappedModel student,
            MethodModules modules,
            DistillationLoss loss,
            TappedModel teacher,
            TeacherLogits cached,
            Set<BatchField> needs,
            int[] indices,
            TrainingProgress progress,
            BatchPrefetcher.Prepared prepared,
            Map<String, Double> sums) {
        // The batch's manager is the step's: everything the step computes lands there and is
        // freed when the caller closes it.
        NDManager stepManager = prepared.manager();
        LabeledBatch batch = prepared.batch();
        NDArray teacherOutput = null;
        NDList teacherTaps = new NDList();
        NDArray teacherEmbedding = null;
        if (cached != null) {
            // Teacher-logit cache (fad-spec §9): no teacher forward; the method was told to use
            // its mean profile in place of the teacher's taps.
            teacherOutput = cached.gather(stepManager, indices);
        } else if (teacher != null && needsTeacher(needs)) {
            // Outside the gradient collector: no graph is recorded for the teacher.
            NDList outputs = teacher.infer(batch.inputs());
            teacherOutput = outputs.head();
            if (needs.contains(BatchField.TEACHER_TAPS)) {
                teacherTaps = outputs.subNDList(1);
            }
            if (needs.contains(BatchField.EMBEDDINGS)) {
                teacherEmbedding = teacher.embedding().embed(outputs.get(outputs.size() - 1));
            }
        }
        NDArray indexArray = needs.contains(BatchField.SAMPLE_INDICES)
                ? stepManager.create(java.util.Arrays.stream(indices).asLongStream().toArray())
                : null;
        double total;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList outputs = trainer.forward(batch.inputs());
            NDArray studentOutput = outputs.head();
            NDList studentTaps = needs.contains(BatchField.STUDENT_TAPS) ? outputs.subNDList(1) : new NDList();
            NDArray studentEmbedding = needs.contains(BatchField.EMBEDDINGS)
                    ? student.embedding().embed(outputs.get(outputs.size() - 1))
                    : null;
            NDArray taskLoss = task.loss(studentOutput, batch.labels());
            DistillationBatch view = new DistillationBatch(stepManager, studentOutput, studentTaps,
                    studentEmbedding, teacherOutput, teacherTaps, teacherEmbedding, batch.labels(), taskLoss,
                    indexArray, progress, modules.parameterStore());
            LossValue value = loss.compute(view);
            total = scalar(value.total());
            Map<String, Double> terms = new LinkedHashMap<>();
            value.terms().forEach((key, term) -> terms.put(key, scalar(term)));
            checkFinite(total, terms, progress, settings.learningRate());
            collector.backward(value.total());
            sums.merge("loss", total, Double::sum);
            terms.forEach((key, term) -> sums.merge(key, term, Double::sum));
        }
        if (guard.admit(trainableBlocks(student, loss), progress, stepManager)) {
            trainer.step();
            modules.step();
        } else {
            sums.merge("skipped_steps_fraction", 1.0, Double::sum);
        }
        return total;
    }

    private static List<ai.djl.nn.Block> trainableBlocks(TappedModel student, DistillationLoss loss) {
        List<ai.djl.nn.Block> blocks = new ArrayList<>();
        blocks.add(student.model().getBlock());
        blocks.addAll(loss.getTrainableBlocks());
        return blocks;
    }

    private static boolean needsTeacher(Set<BatchField> needs) {
        return needs.contains(BatchField.TEACHER_OUTPUT) || needs.contains(BatchField.TEACHER_TAPS)
                || needs.contains(BatchField.EMBEDDINGS);
    }

    /**
     * Stops a diverged run before its non-finite loss reaches the weights: training on would only
     * turn every parameter into NaN. The last checkpoint (previous epoch) is kept for a resume.
     */
    static void checkFinite(double total, Map<String, Double> terms, TrainingProgress progress, double learningRate) {
        if (Double.isFinite(total)) {
            return;
        }
        // Name the culprit: in a list of nine terms a NaN is easy to miss. (A method that knows
        // which of its inputs went bad, such as fad naming its taps, fails earlier, in compute.)
        List<String> nonFinite = new ArrayList<>();
        terms.forEach((key, term) -> {
            if (!Double.isFinite(term)) {
                nonFinite.add(key + " = " + term);
            }
        });
        throw new FadException(ErrorCode.TRAINING_DIVERGED, String.format(
                "Training diverged in epoch %d at step %d: the loss is %s, %s (terms %s). Lower"
                        + " trainer.learning-rate (now %s) or the method's weights; the checkpoint of the"
                        + " last finished epoch, if any, is kept for --resume.",
                progress.epoch(), progress.globalStep(), total,
                nonFinite.isEmpty()
                        ? "although every logged term is finite (their weighted sum overflowed)"
                        : "from the term" + (nonFinite.size() == 1 ? " " : "s ") + String.join(", ", nonFinite),
                terms, learningRate));
    }

    private static double scalar(NDArray array) {
        return array.toType(DataType.FLOAT64, false).getDouble();
    }

    private void record(EpochReport report) {
        report.training().forEach((key, value) -> metrics.metric("train/" + key, value, report.epoch()));
        report.validation().forEach((key, value) -> metrics.metric("val/" + key, value, report.epoch()));
        metrics.metric("time/epoch_s", report.seconds(), report.epoch());
        // Resident memory has one name in tracking, the sampler's system/process_rss_megabytes; the
        // epoch reports keep theirs for summary.json's rss_mb_epoch1 and rss_mb_last_epoch.
    }
}
