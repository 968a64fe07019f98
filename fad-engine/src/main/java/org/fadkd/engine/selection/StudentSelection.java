package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.api.block.MacCounted;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.data.InputShapes;
import org.fadkd.engine.measure.InferenceTiming;
import org.fadkd.engine.measure.Latency;
import org.fadkd.engine.measure.MacCounter;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.measure.TimingSettings;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.report.FlowMeasurement;
import org.fadkd.engine.teacher.TeacherLogits;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.engine.train.TrainingSettings;

/**
 * Student selection (fad-spec §10): picks, from candidate students, the one to distil, without
 * training any of them to the end.
 *
 * <ol>
 *   <li><b>Measure and filter.</b> Every candidate is built and initialised with the run's seed and
 *       measured as a run measures its student (§13): trainable parameters ({@link
 *       ParameterCount}), MACs ({@link MacCounter}) and batch-1 latency ({@link InferenceTiming}).
 *       A candidate over a budget is dropped with the reason; when none is left, selection fails
 *       listing every candidate and why, before any flow analysis.
 *   <li><b>Flow analysis without training.</b> The teacher's mean profile {@code D̄^T} over the first
 *       {@code M_b} training batches, in order, at the run's batch size (in inference mode, or given
 *       by the caller from the teacher-flow cache built over the same batches), and each feasible
 *       candidate's {@code D̄^S} over the same batches from its initial weights, forward in training
 *       mode without gradient ({@link FlowMeasurement.Mode#TRAINING}; the batch-norm statistics this
 *       changes are discarded with the model). {@link FlowAnalysis} turns the two into the capacity
 *       alignment {@code A} and the sensitivity match.
 *   <li><b>Proxy</b> (optional). The proxy's method ({@code selection.proxy.method}, by default
 *       {@code kd} with T = 4, α = 0.9), created through the component registry like any run's method, trains a fresh copy of the candidate for {@code
 *       K} steps with {@link DistillationLoop#warmUp} (the run's optimizer, learning rate and batch
 *       size; the same initial weights, since the loop seeds them the same way), then top-1 is
 *       measured on the first validation batches in inference mode. The weights are discarded.
 *   <li><b>Score and rank</b> with {@link SelectionWeights} and {@link CandidateRanking}.
 * </ol>
 *
 * <p>Every candidate is initialised from the same seed, sees the same batches in the same order
 * and is measured the same way, so the same inputs give the same scores. Candidates' models are
 * closed as soon as each step is done with them; every array lives in a sub-manager of the
 * caller's manager or in a candidate model's manager, closed before {@link #select} returns.
 *
 * <p>Not thread-safe; one selection at a time per process, as the timings would disturb each other.
 *
 * @since 0.1
 */
public final class StudentSelection {
    private final SelectionSettings settings;
    private final Task task;
    private final LabeledDataset dataset;
    private final TrainingSettings trainer;
    private final FadContext context;
    private final String metricName;
    private final FlowMetric metric;
    private final DepthDistribution distribution;
    private final double[] teacherProfile;
    private final TeacherLogits teacherLogits;
    private final TimingSettings timing;
    private final SelectionListener listener;

    private StudentSelection(Builder builder) {
        this.settings = builder.settings;
        this.task = builder.task;
        this.dataset = builder.dataset;
        this.trainer = builder.trainer;
        this.context = builder.context;
        this.metricName = requireNonNull(builder.metricName, "the flow metric is not set");
        this.metric = builder.metric;
        this.distribution = builder.distribution;
        this.teacherProfile = builder.teacherProfile;
        this.teacherLogits = builder.teacherLogits;
        this.timing = builder.timing;
        this.listener = builder.listener;
    }

    /**
     * Starts a selection for a run.
     *
     * @param settings the run's {@code selection} section, never null
     * @param task the run's task, never null
     * @param dataset the run's dataset, never null
     * @param trainer the run's {@code trainer} section: optimizer, batch sizes, epochs (the proxy's
     *     learning-rate schedule is laid out over the run's length), never null
     * @param context the run's context: its seed initialises every candidate, and it creates the
     *     proxy's method; never null
     * @return a builder; set the flow metric with {@link Builder#flowMetric} before {@link
     *     Builder#build}
     * @since 0.1
     */
    public static Builder builder(
            SelectionSettings settings, Task task, LabeledDataset dataset, TrainingSettings trainer,
            FadContext context) {
        return new Builder(settings, task, dataset, trainer, context);
    }

    /**
     * Selects among the candidates. Call it outside a gradient collector.
     *
     * @param teacher the trained teacher, initialised, with at least two taps; never null
     * @param candidates the candidates, at least one, with distinct names and at least two taps
     *     each; their architectures are built here, at the dataset's sample shape and class count
     * @param parent the manager whose sub-managers hold batches and temporary arrays; nothing stays
     *     attached to it; never null
     * @return the ranked result, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when no candidate is within the
     *     budgets (listing every candidate and why) or a candidate cannot be profiled, or the
     *     errors of building, measuring or training a candidate, its name prefixed
     * @since 0.1
     */
    public SelectionResult select(TappedModel teacher, List<Candidate> candidates, NDManager parent) {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(candidates, "candidates is null");
        requireNonNull(parent, "parent is null");
        long start = System.nanoTime();
        checkProfilable(teacher, candidates);

        List<CandidateResult> measured = new ArrayList<>();
        for (Candidate candidate : candidates) {
            CandidateMeasurement measurement = forCandidate(candidate, () -> measure(candidate, parent));
            CandidateResult result =
                    CandidateResult.measured(candidate.name(), measurement, settings.budgets().violations(measurement));
            listener.onMeasured(result);
            measured.add(result);
        }
        if (measured.stream().noneMatch(CandidateResult::feasible)) {
            throw noneFeasible(measured);
        }

        FlowMeasurement measurement =
                new FlowMeasurement(metric, dataset.getSplit(Split.TRAIN), trainer.batchSize(), settings.batches());
        double[] teacherMean = teacherProfile(teacher, measurement, parent);
        List<CandidateResult> scored = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            CandidateResult result = measured.get(i);
            if (!result.feasible()) {
                scored.add(result);
                continue;
            }
            Candidate candidate = candidates.get(i);
            CandidateResult analysed =
                    forCandidate(candidate, () -> score(candidate, result, teacher, teacherMean, measurement, parent));
            listener.onScored(analysed);
            scored.add(analysed);
        }
        return new SelectionResult(CandidateRanking.rank(scored), teacherMean, metricName, distribution,
                measurement.batchCount(), measurement.batchSize(), context.getSeed(), settings.budgets(),
                settings.proxy(), settings.weights().effective(settings.proxy().enabled()),
                (System.nanoTime() - start) / 1e9);
    }

    /** Fails, before any work, for a selection that cannot produce a flow profile for everyone. */
    private static void checkProfilable(TappedModel teacher, List<Candidate> candidates) {
        List<String> problems = new ArrayList<>();
        if (candidates.isEmpty()) {
            problems.add("Student selection has no candidates. List them in selection.candidates.");
        }
        if (teacher.tapNames().size() < 2) {
            problems.add(String.format("The teacher declares %d tap %s; student selection compares flow profiles,"
                    + " which need at least 2 taps.", teacher.tapNames().size(), teacher.tapNames()));
        }
        Set<String> names = new HashSet<>();
        for (Candidate candidate : candidates) {
            if (!names.add(candidate.name())) {
                problems.add(String.format("Candidate '%s' is listed twice; give one of them another name.",
                        candidate.name()));
            }
            List<String> taps = candidate.architecture().getTapNames();
            if (taps.size() < 2) {
                problems.add(String.format("Candidate '%s' declares %d tap %s; student selection compares flow"
                        + " profiles, which need at least 2 taps. Give it more layers or drop it.",
                        candidate.name(), taps.size(), taps));
            }
        }
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Student selection cannot start:", problems);
        }
    }

    private static FadException noneFeasible(List<CandidateResult> measured) {
        StringBuilder message = new StringBuilder("No candidate student is within the selection budgets; every one")
                .append(" was dropped:");
        for (CandidateResult result : measured) {
            message.append("\n  '").append(result.name()).append("': ").append(result.reason());
        }
        return new FadException(ErrorCode.CONFIG_INVALID, message.append("\nRaise selection.budgets or list smaller"
                + " candidates in selection.candidates.").toString());
    }

    private CandidateMeasurement measure(Candidate candidate, NDManager parent) {
        try (Model model = initialised(candidate)) {
            Block block = model.getBlock();
            long params = ParameterCount.trainable(block);
            long macs = MacCounter.count(block, InputShapes.perSample(dataset));
            if (macs == MacCounted.UNKNOWN) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format("Candidate '%s' is a network whose"
                        + " multiply-accumulates cannot be counted (a TorchScript module); the selection needs them for"
                        + " its budgets and ranking. List native architectures as candidates.", candidate.name()));
            }
            Latency latency;
            try (NDManager sampleManager = parent.newSubManager()) {
                NDList sample = dataset.getSplit(Split.TRAIN).getBatch(sampleManager, new int[] {0}).inputs();
                latency = new InferenceTiming(timing).latency(block, sample);
            }
            return new CandidateMeasurement(params, macs, latency);
        }
    }

    private double[] teacherProfile(TappedModel teacher, FlowMeasurement measurement, NDManager parent) {
        if (teacherProfile != null) {
            if (teacherProfile.length != teacher.tapNames().size() - 1) {
                throw new IllegalArgumentException(String.format("the given teacher profile has %d points, but a"
                        + " teacher with %d taps has %d", teacherProfile.length, teacher.tapNames().size(),
                        teacher.tapNames().size() - 1));
            }
            listener.onTeacherProfile(teacherProfile.clone(), false);
            return teacherProfile.clone();
        }
        double[] profile = measurement.meanProfile(teacher, parent);
        listener.onTeacherProfile(profile.clone(), true);
        return profile;
    }

    private CandidateResult score(
            Candidate candidate, CandidateResult measured, TappedModel teacher, double[] teacherMean,
            FlowMeasurement measurement, NDManager parent) {
        double[] profile;
        try (Model model = initialised(candidate)) {
            profile = measurement.meanProfile(tapped(candidate, model), parent, FlowMeasurement.Mode.TRAINING);
        }
        FlowAnalysis flow = FlowAnalysis.of(teacherMean, profile, distribution, parent);
        Double proxy = settings.proxy().enabled() ? proxy(candidate, teacher) : null;
        double score = settings.weights().score(flow.capacityAlignment(), flow.match(), proxy);
        return new CandidateResult(candidate.name(), measured.measurement(), measured.violations(), profile, flow,
                proxy, score, null);
    }

    /** Top-1 of a fresh copy of the candidate after the proxy's warm-up; the warmed-up weights go with the model. */
    private double proxy(Candidate candidate, TappedModel teacher) {
        DistillationLoss kd = context.createComponent(ComponentKind.METHOD, settings.proxy().method());
        try (Model model = Model.newInstance(candidate.name(), context.getDevice())) {
            model.setBlock(candidate.architecture().newBlock(dataset.getSampleShape(), dataset.getClassCount()));
            TappedModel student = tapped(candidate, model);
            DistillationLoop loop = new DistillationLoop(task, dataset, trainer, context.getSeed(),
                    listener.warmUpMetrics(candidate.name()), listener.warmUpListener(candidate.name()));
            loop.warmUp(student, teacher, kd, teacherLogits, settings.proxy().steps());
            DataSplit validation = dataset.getSplit(Split.VALIDATION);
            Map<String, Double> metrics = Evaluation.evaluate(student, task, validation, trainer.evalBatchSize(),
                    settings.proxy().evalBatches(), model.getNDManager());
            Double top1 = metrics.get(task.getPrimaryMetric());
            if (top1 == null || !(top1 >= 0 && top1 <= 1)) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format("Student selection's proxy"
                        + " needs the task's primary metric '%s' as a fraction in [0, 1], got %s.",
                        task.getPrimaryMetric(), top1));
            }
            return top1;
        }
    }

    /** A candidate's model, initialised as the distillation loop initialises a student: the same seed, shapes and type. */
    private Model initialised(Candidate candidate) {
        Model model = Model.newInstance(candidate.name(), context.getDevice());
        try {
            model.setBlock(candidate.architecture().newBlock(dataset.getSampleShape(), dataset.getClassCount()));
            Engine.getInstance().setRandomSeed((int) context.getSeed());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
                    InputShapes.withBatch(dataset, trainer.batchSize()));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static TappedModel tapped(Candidate candidate, Model model) {
        return new TappedModel(candidate.name(), model, candidate.architecture().getTapNames(),
                candidate.architecture().getEmbeddingSource());
    }

    /** Runs one step for a candidate, naming it in a failure the user can act on. */
    private static <T> T forCandidate(Candidate candidate, Supplier<T> step) {
        try {
            return step.get();
        } catch (FadException e) {
            throw new FadException(e.getErrorCode(), "Candidate '" + candidate.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Configures a {@link StudentSelection}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final SelectionSettings settings;
        private final Task task;
        private final LabeledDataset dataset;
        private final TrainingSettings trainer;
        private final FadContext context;
        private String metricName;
        private FlowMetric metric;
        private DepthDistribution distribution;
        private double[] teacherProfile;
        private TeacherLogits teacherLogits;
        private TimingSettings timing = TimingSettings.DEFAULTS;
        private SelectionListener listener = SelectionListener.NONE;

        private Builder(
                SelectionSettings settings, Task task, LabeledDataset dataset, TrainingSettings trainer,
                FadContext context) {
            this.settings = requireNonNull(settings, "settings is null");
            this.task = requireNonNull(task, "task is null");
            this.dataset = requireNonNull(dataset, "dataset is null");
            this.trainer = requireNonNull(trainer, "trainer is null");
            this.context = requireNonNull(context, "context is null");
        }

        /**
         * Sets the flow metric and the depth distribution of {@code D_align}: the run's (its FAD
         * method's, or {@code cka} and {@code l1} as the flow report uses for other methods).
         * Required.
         *
         * @param name the metric's name for the result, e.g. {@code cka}; never null
         * @param flowMetric the metric, never null
         * @param depthDistribution the distribution, never null
         * @return this builder
         */
        public Builder flowMetric(String name, FlowMetric flowMetric, DepthDistribution depthDistribution) {
            this.metricName = requireNonNull(name, "name is null");
            this.metric = requireNonNull(flowMetric, "flowMetric is null");
            this.distribution = requireNonNull(depthDistribution, "depthDistribution is null");
            return this;
        }

        /**
         * Uses a teacher profile the caller already has instead of measuring the teacher: the
         * teacher-flow cache's mean over the first {@code batches} training batches at the run's
         * batch size, which are exactly the batches selection analyses.
         *
         * @param profile {@code D̄^T}, one value per adjacent tap pair; copied; never null
         * @return this builder
         */
        public Builder teacherProfile(double[] profile) {
            this.teacherProfile = requireNonNull(profile, "profile is null").clone();
            return this;
        }

        /**
         * Lets the proxy's warm-up take the teacher's outputs from the teacher-logit cache
         * instead of running the teacher.
         *
         * @param logits the teacher's logits per training sample, never null
         * @return this builder
         */
        public Builder teacherLogits(TeacherLogits logits) {
            this.teacherLogits = requireNonNull(logits, "logits is null");
            return this;
        }

        /**
         * Sets how latency is timed; {@link TimingSettings#DEFAULTS} (fad-spec §13) unless set.
         *
         * @param timingSettings the settings, never null
         * @return this builder
         */
        public Builder timing(TimingSettings timingSettings) {
            this.timing = requireNonNull(timingSettings, "timingSettings is null");
            return this;
        }

        /**
         * Sets who hears the selection's progress; nobody unless set.
         *
         * @param selectionListener the listener, never null
         * @return this builder
         */
        public Builder listener(SelectionListener selectionListener) {
            this.listener = requireNonNull(selectionListener, "selectionListener is null");
            return this;
        }

        /**
         * Builds the selection.
         *
         * @return the selection, never null
         * @throws NullPointerException when the flow metric was not set
         */
        public StudentSelection build() {
            return new StudentSelection(this);
        }
    }
}
