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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.fadkd.api.MetricSink;
import org.fadkd.api.Split;
import org.fadkd.api.TapLayout;
import org.fadkd.api.Task;
import org.fadkd.api.TrainingProgress;
import org.fadkd.engine.data.BatchPlan;
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
 */
public final class DistillationLoop {
    private final Task task;
    private final LabeledDataset dataset;
    private final TrainingSettings settings;
    private final long seed;
    private final MetricSink metrics;
    private final LoopListener listener;

    public DistillationLoop(
            Task task,
            LabeledDataset dataset,
            TrainingSettings settings,
            long seed,
            MetricSink metrics,
            LoopListener listener) {
        this.task = requireNonNull(task, "task is null");
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.seed = seed;
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.listener = requireNonNull(listener, "listener is null");
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
        long start = System.nanoTime();
        DataSplit trainSplit = dataset.getSplit(Split.TRAIN);
        DataSplit validationSplit = dataset.getSplit(Split.VALIDATION);
        Set<BatchField> needs = loss.getRequirements();
        boolean needsTeacher = needs.contains(BatchField.TEACHER_OUTPUT) || needs.contains(BatchField.TEACHER_TAPS);
        TeacherLogits cached = skipsTeacherForward(loss, logits) ? logits : null;
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
        Engine.getInstance().setRandomSeed((int) seed);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(newOptimizer(stepsPerEpoch * settings.epochs()))
                .optDevices(new ai.djl.Device[] {student.model().getNDManager().getDevice()});
        List<EpochReport> reports = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        double last = Double.NaN;
        try (Trainer trainer = student.model().newTrainer(config);
                NDManager runManager = student.model().getNDManager().newSubManager()) {
            Shape inputShape = new Shape(settings.batchSize()).addAll(dataset.getSampleShape());
            trainer.initialize(inputShape);
            prepare(loss, student, cached == null ? teacher : null, cached, trainSplit, runManager);
            listener.onTrainingStart(student);
            long globalStep = 0;
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                List<int[]> plan = BatchPlan.plan(trainSplit.size(), settings.batchSize(), true, true, seed * 1_000_003L + epoch);
                listener.onEpochStart(epoch, settings.epochs(), plan.size());
                Map<String, Double> sums = new LinkedHashMap<>();
                for (int[] indices : plan) {
                    TrainingProgress progress = new TrainingProgress(epoch, settings.epochs(), globalStep);
                    double total = step(trainer, loss, teacher, cached, needs, trainSplit, indices, progress, runManager,
                            sums);
                    listener.onStep(total);
                    globalStep++;
                }
                Map<String, Double> training = new LinkedHashMap<>();
                sums.forEach((key, sum) -> training.put(key, sum / plan.size()));
                Map<String, Double> validation = Evaluation.evaluate(
                        student, task, validationSplit, settings.evalBatchSize(), runManager);
                last = validation.getOrDefault(task.getPrimaryMetric(), Double.NaN);
                if (last > best) {
                    best = last;
                    bestEpoch = epoch;
                }
                EpochReport report = new EpochReport(epoch, training, validation,
                        (System.nanoTime() - epochStart) / 1e9, ResidentMemory.megabytes());
                record(report);
                reports.add(report);
                listener.onEpochEnd(report);
            }
        }
        return new TrainingOutcome(task.getPrimaryMetric(), best, bestEpoch, last, reports,
                (System.nanoTime() - start) / 1e9);
    }

    private Optimizer newOptimizer(int totalSteps) {
        float rate = (float) settings.learningRate();
        Tracker tracker = settings.schedule().equals("cosine")
                ? Tracker.cosine().setBaseValue(rate).optFinalValue(0f).setMaxUpdates(totalSteps).build()
                : Tracker.fixed(rate);
        float decay = (float) settings.weightDecay();
        if (settings.optimizer().equals("sgd")) {
            return Optimizer.sgd().setLearningRateTracker(tracker)
                    .optMomentum((float) settings.momentum()).optWeightDecays(decay).build();
        }
        return Optimizer.adam().optLearningRateTracker(tracker).optWeightDecays(decay).build();
    }

    /** Runs one probe batch without gradient so the method can check tap shapes and build extras. */
    private void prepare(
            DistillationLoss loss, TappedModel student, TappedModel teacher, TeacherLogits cached, DataSplit split,
            NDManager parent) {
        int[] first = BatchPlan.plan(split.size(), settings.batchSize(), false, true, 0).get(0);
        try (NDManager probeManager = parent.newSubManager()) {
            LabeledBatch batch = split.getBatch(probeManager, first);
            TapLayout studentLayout = layout(student, student.infer(batch.inputs()));
            TapLayout teacherLayout = cached != null
                    ? cached.taps()
                    : teacher == null
                            ? new TapLayout(List.of(), List.of())
                            : layout(teacher, teacher.infer(batch.inputs()));
            loss.prepare(teacherLayout, studentLayout);
        }
        if (!loss.getTrainableBlocks().isEmpty()) {
            // Extra modules must join the student's optimizer; that arrives with the methods that need them.
            throw new FadException(ErrorCode.INTERNAL,
                    "methods with extra trainable blocks are not supported by this loop yet");
        }
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
            DistillationLoss loss,
            TappedModel teacher,
            TeacherLogits cached,
            Set<BatchField> needs,
            DataSplit split,
            int[] indices,
            TrainingProgress progress,
            NDManager parent,
            Map<String, Double> sums) {
        try (NDManager stepManager = parent.newSubManager()) {
            LabeledBatch batch = split.getBatch(stepManager, indices);
            NDArray teacherOutput = null;
            NDList teacherTaps = new NDList();
            if (cached != null) {
                // Teacher-logit cache (fad-spec §9): no teacher forward; the method was told to use
                // its mean profile in place of the teacher's taps.
                teacherOutput = cached.gather(stepManager, indices);
            } else if (teacher != null && (needs.contains(BatchField.TEACHER_OUTPUT) || needs.contains(BatchField.TEACHER_TAPS))) {
                // Outside the gradient collector: no graph is recorded for the teacher.
                NDList outputs = teacher.infer(batch.inputs());
                teacherOutput = outputs.head();
                if (needs.contains(BatchField.TEACHER_TAPS)) {
                    teacherTaps = outputs.subNDList(1);
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
                NDArray taskLoss = task.loss(studentOutput, batch.labels());
                DistillationBatch view = new DistillationBatch(stepManager, studentOutput, studentTaps,
                        teacherOutput, teacherTaps, batch.labels(), taskLoss, indexArray, progress);
                LossValue value = loss.compute(view);
                collector.backward(value.total());
                total = scalar(value.total());
                sums.merge("loss", total, Double::sum);
                value.terms().forEach((key, term) -> sums.merge(key, scalar(term), Double::sum));
            }
            trainer.step();
            return total;
        }
    }

    private static double scalar(NDArray array) {
        return array.toType(DataType.FLOAT64, false).getDouble();
    }

    private void record(EpochReport report) {
        report.training().forEach((key, value) -> metrics.metric("train/" + key, value, report.epoch()));
        report.validation().forEach((key, value) -> metrics.metric("val/" + key, value, report.epoch()));
        metrics.metric("time/epoch_s", report.seconds(), report.epoch());
        metrics.metric("system/rss_mb", report.residentMegabytes(), report.epoch());
    }
}
