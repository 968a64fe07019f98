package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.Split;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;

/**
 * Benchmarks 1, 2, 3 and 6 (benchmarks/README.md) in one process. They run in rounds, and each
 * round runs every measurement once, FAD and PyTorch alternating, so that a slow minute on a
 * shared machine touches all of them alike instead of one; figures are medians over rounds.
 */
final class Suite {
    /** Flow metrics benchmark 2 tries, in fad-spec §2's order of preference; the quick start's taps decide which apply. */
    private static final List<String> FLOW_METRICS = List.of("cka", "gram", "relative-change");
    private static final String UNCACHED = "uncached";
    private static final String FLOW_CACHE = "teacher-flow cache";
    private static final String LOGIT_CACHE = "teacher-flow + logit cache";
    /** Teacher forwards timed per round for the phase breakdown of benchmark 1, after as many untimed ones. */
    private static final int TEACHER_FORWARDS = 10;

    /**
     * How much to measure.
     *
     * @param rounds repeats of every measurement
     * @param warmupSteps untimed steps at the start of every training run
     * @param timedSteps timed steps of a run of benchmarks 1 and 2
     * @param epochSteps steps of benchmark 3's reduced epoch
     * @param dataLoadingBatches batches built per round in benchmark 6
     */
    record Sizes(int rounds, int warmupSteps, int timedSteps, int epochSteps, int dataLoadingBatches) {
        Sizes {
            if (rounds < 1 || warmupSteps < 0 || timedSteps < 1 || epochSteps < 1 || dataLoadingBatches < 1) {
                throw new IllegalArgumentException("benchmark sizes must be positive (warm-up may be 0): " + this);
            }
        }
    }

    /** What the suite measured, for {@link Report} to merge with the memory runs. */
    record Part(
            Results.Environment environment,
            Results.Settings settings,
            Results.PyTorchSide pytorch,
            List<Results.ParameterCheck> parameters,
            Results.StepComparison kdStep,
            Results.StepComparison teacherStep,
            List<Results.FlowOverhead> flowOverhead,
            Results.CacheEpochs cache,
            Results.DataLoading dataLoading) {}

    private final QuickStart quickStart;
    private final PyTorchScript pytorch;
    private final Sizes sizes;
    private final PrintStream log;
    private final int batchSize;
    private final int evaluationSamples;

    private String pytorchUnavailable;
    private final Measurements kdFad = new Measurements();
    private final Measurements kdPyTorch = new Measurements();
    private final Measurements teacherFad = new Measurements();
    private final Measurements teacherPyTorch = new Measurements();
    private final Measurements fadPhases = new Measurements();
    private final Map<String, Measurements> flowMetrics = new LinkedHashMap<>();
    private final Map<String, String> notApplicable = new LinkedHashMap<>();
    private final Measurements cacheEpochs = new Measurements();
    private final Measurements dataLoading = new Measurements();
    private Results.CacheBuild cacheBuild;
    private double flowProfileSeconds;

    Suite(QuickStart quickStart, PyTorchScript pytorch, Sizes sizes, PrintStream log) {
        this.quickStart = requireNonNull(quickStart, "quickStart is null");
        this.pytorch = requireNonNull(pytorch, "pytorch is null");
        this.sizes = requireNonNull(sizes, "sizes is null");
        this.log = requireNonNull(log, "log is null");
        Config base = quickStart.baseConfig();
        batchSize = base.getInt("trainer.batch-size");
        // one validation batch: validation runs after each epoch and is not timed
        evaluationSamples = base.getInt("trainer.eval-batch-size");
        FLOW_METRICS.forEach(metric -> flowMetrics.put(metric, new Measurements()));
    }

    /** Runs every round and summarises them. */
    Part run(String gitCommit, String loadAverageStart) {
        Results.PyTorchInfo info = null;
        try {
            info = pytorch.info();
        } catch (PyTorchScript.PyTorchUnavailable e) {
            pytorchUnavailable = e.getMessage();
            log.println("PyTorch is not available, FAD runs alone: " + pytorchUnavailable);
        }
        for (int round = 1; round <= sizes.rounds(); round++) {
            long start = System.nanoTime();
            stepTimes(round);
            flowOverhead();
            cacheEpochs();
            phases(round);
            log.printf(Locale.ROOT, "Round %d/%d done in %.0f s (load average %s)%n", round, sizes.rounds(),
                    (System.nanoTime() - start) / 1e9, MachineEnvironment.loadAverage());
        }
        return new Part(
                MachineEnvironment.capture(gitCommit, loadAverageStart),
                new Results.Settings(sizes.rounds(), sizes.warmupSteps(), sizes.timedSteps(), sizes.epochSteps(),
                        sizes.dataLoadingBatches(), batchSize, QuickStart.TEACHER_WEIGHTS,
                        quickStart.dataDirectory().toString()),
                new Results.PyTorchSide(pytorchUnavailable == null ? info : null, pytorchUnavailable),
                parameters(pytorchUnavailable == null ? info : null),
                comparison(kdFad, kdPyTorch, fadPhases.distributions(List.of("data", "teacher_forward"))),
                comparison(teacherFad, teacherPyTorch, fadPhases.distributions(List.of("data"))),
                flowOverheads(),
                new Results.CacheEpochs(sizes.epochSteps(), cacheVariants(), cacheBuild),
                dataLoadingResult());
    }

    /** Benchmark 1: a kd step and a teacher-training step, FAD then PyTorch. */
    private void stepTimes(int round) {
        int samples = (sizes.warmupSteps() + sizes.timedSteps()) * batchSize;
        double kd = median(quickStart.distill(List.of("method=kd", "trainer.epochs=1"), samples, evaluationSamples)
                .clock().timedSteps(sizes.warmupSteps()));
        kdFad.add("step", kd);
        double teacher = median(quickStart.trainTeacher(List.of("teacher-training.epochs=1"), samples,
                evaluationSamples).timedSteps(sizes.warmupSteps()));
        teacherFad.add("step", teacher);
        String line = String.format(Locale.ROOT, "Round %d: kd step %.1f ms, teacher step %.1f ms (FAD)",
                round, kd, teacher);
        if (pytorchUnavailable == null) {
            try {
                Config kdConfig = quickStart.compose(List.of("method=kd"));
                recordPyTorch(kdPyTorch, pytorch.kdSteps(kdConfig, sizes.warmupSteps(), sizes.timedSteps()));
                recordPyTorch(teacherPyTorch,
                        pytorch.teacherSteps(kdConfig, sizes.warmupSteps(), sizes.timedSteps()));
                line += String.format(Locale.ROOT, "; %.1f ms, %.1f ms (PyTorch)",
                        kdPyTorch.last("step"), teacherPyTorch.last("step"));
            } catch (PyTorchScript.PyTorchUnavailable e) {
                pytorchUnavailable = e.getMessage();
                kdPyTorch.clear();
                teacherPyTorch.clear();
                line += "; PyTorch failed, FAD goes on alone: " + pytorchUnavailable;
            }
        }
        log.println(line);
    }

    private static void recordPyTorch(Measurements measurements, PyTorchScript.Steps steps) {
        measurements.add("step", median(steps.stepMs()));
        steps.phasesMs().forEach((phase, values) -> measurements.add(phase, median(values)));
    }

    /** Benchmark 2: fad with each flow metric, on as many steps as benchmark 1's kd step. */
    private void flowOverhead() {
        int samples = (sizes.warmupSteps() + sizes.timedSteps()) * batchSize;
        for (String metric : FLOW_METRICS) {
            if (notApplicable.containsKey(metric)) {
                continue;
            }
            try {
                QuickStart.DistillationRun run = quickStart.distill(
                        List.of("method=fad", "method.flow-metric=" + metric, "trainer.epochs=1"),
                        samples, evaluationSamples);
                flowMetrics.get(metric).add("step", median(run.clock().timedSteps(sizes.warmupSteps())));
                log.printf(Locale.ROOT, "  fad step with %s: %.1f ms%n", metric, flowMetrics.get(metric).last("step"));
            } catch (FadException e) {
                if (e.getErrorCode() != ErrorCode.INCOMPATIBLE_COMPONENTS) {
                    throw e;
                }
                notApplicable.put(metric, e.getMessage());
                log.printf("  fad with %s does not apply to the quick start's models: %s%n", metric, e.getMessage());
            }
        }
    }

    /** Benchmark 3: one reduced epoch of fad without any teacher cache, with the flow cache, and with the logit cache too. */
    private void cacheEpochs() {
        int samples = (sizes.warmupSteps() + sizes.epochSteps()) * batchSize;
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put(UNCACHED, List.of("method=fad", "trainer.epochs=1", "teacher-flow.cache=false"));
        variants.put(FLOW_CACHE, List.of("method=fad", "trainer.epochs=1"));
        variants.put(LOGIT_CACHE, List.of("method=fad", "trainer.epochs=1", "teacher-flow.logits=true"));
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
            QuickStart.DistillationRun run = quickStart.distill(variant.getValue(), samples, evaluationSamples);
            double seconds = run.clock().timedSteps(sizes.warmupSteps()).stream()
                    .mapToDouble(Double::doubleValue).sum() / 1000;
            cacheEpochs.add(variant.getKey(), seconds);
            recordCacheBuild(run.flow(), samples);
        }
        log.printf(Locale.ROOT, "  %d-step fad epoch: %.1f s %s, %.1f s %s, %.1f s %s%n", sizes.epochSteps(),
                cacheEpochs.last(UNCACHED), UNCACHED, cacheEpochs.last(FLOW_CACHE), FLOW_CACHE,
                cacheEpochs.last(LOGIT_CACHE), LOGIT_CACHE);
    }

    /** The cache is filled by the first run that asks for it; later rounds find it. */
    private void recordCacheBuild(TeacherFlowCache.Outcome flow, int samples) {
        if (flow == null) {
            return;
        }
        if (!flow.fromCache()) {
            flowProfileSeconds = flow.seconds();
        }
        if (flow.logits() != null && !flow.logitsFromCache()) {
            cacheBuild = new Results.CacheBuild(samples, flowProfileSeconds, flow.logitsSeconds());
        }
    }

    /**
     * Benchmark 6, and the parts of FAD's step that can be timed on their own for benchmark 1: the
     * batch pipeline alone (each batch built in its own manager, closed at once, as in a training
     * step) and the teacher's inference forward.
     */
    private void phases(int round) {
        DataSplit split = quickStart.dataset().getSplit(Split.TRAIN);
        List<int[]> plan = BatchPlan.plan(split.size(), batchSize, true, true, round);
        if (plan.size() < sizes.dataLoadingBatches() + 2 * TEACHER_FORWARDS) {
            throw new IllegalArgumentException(String.format(
                    "data-loading batches %d leave too few of the %d training batches for the teacher's forwards",
                    sizes.dataLoadingBatches(), plan.size()));
        }
        try (NDManager scope = NDManager.newBaseManager()) {
            long start = System.nanoTime();
            for (int index = 0; index < sizes.dataLoadingBatches(); index++) {
                try (NDManager batchScope = scope.newSubManager()) {
                    split.getBatch(batchScope, plan.get(index));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            dataLoading.add("samples_per_second", sizes.dataLoadingBatches() * batchSize / seconds);
            dataLoading.add("batch_ms", seconds * 1000 / sizes.dataLoadingBatches());
            fadPhases.add("data", dataLoading.last("batch_ms"));

            TappedModel teacher = quickStart.teacher();
            List<Double> forwards = new ArrayList<>();
            for (int index = 0; index < 2 * TEACHER_FORWARDS; index++) {
                try (NDManager batchScope = scope.newSubManager()) {
                    LabeledBatch batch = split.getBatch(batchScope, plan.get(sizes.dataLoadingBatches() + index));
                    long forwardStart = System.nanoTime();
                    teacher.infer(batch.inputs());
                    if (index >= TEACHER_FORWARDS) {
                        forwards.add((System.nanoTime() - forwardStart) / 1e6);
                    }
                }
            }
            fadPhases.add("teacher_forward", median(forwards));
        }
        log.printf(Locale.ROOT, "  batch pipeline %.0f samples/s; teacher forward %.1f ms%n",
                dataLoading.last("samples_per_second"), fadPhases.last("teacher_forward"));
    }

    private List<Results.ParameterCheck> parameters(Results.PyTorchInfo info) {
        long student;
        try (Model model = quickStart.newStudent().model()) {
            student = ParameterCount.trainable(model.getBlock());
        }
        long teacher = quickStart.teacher().countTrainableParameters();
        return List.of(
                new Results.ParameterCheck("teacher (resnet)", teacher,
                        info == null ? null : info.parameters().get("teacher")),
                new Results.ParameterCheck("student (cnn)", student,
                        info == null ? null : info.parameters().get("student")));
    }

    private Results.StepComparison comparison(
            Measurements fad, Measurements torch, Map<String, Distribution> fadPhasesMs) {
        if (torch.isEmpty()) {
            return new Results.StepComparison(fad.distribution("step"), null, null, fadPhasesMs, null);
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < fad.values("step").size(); round++) {
            ratios.add(torch.values("step").get(round) / fad.values("step").get(round));
        }
        List<String> phases = torch.names().stream().filter(name -> !name.equals("step")).toList();
        return new Results.StepComparison(fad.distribution("step"), torch.distribution("step"),
                Distribution.of(ratios), fadPhasesMs, torch.distributions(phases));
    }

    private List<Results.FlowOverhead> flowOverheads() {
        String defaultMetric = quickStart.compose(List.of("method=fad")).getString("method.flow-metric");
        List<Results.FlowOverhead> overheads = new ArrayList<>();
        for (String metric : FLOW_METRICS) {
            boolean isDefault = metric.equals(defaultMetric);
            if (notApplicable.containsKey(metric)) {
                overheads.add(new Results.FlowOverhead(metric, isDefault, "not applicable", notApplicable.get(metric),
                        null, null, null));
                continue;
            }
            List<Double> fad = flowMetrics.get(metric).values("step");
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < fad.size(); round++) {
                ratios.add(fad.get(round) / kdFad.values("step").get(round));
            }
            overheads.add(new Results.FlowOverhead(metric, isDefault, "measured", null, Distribution.of(fad),
                    kdFad.distribution("step"), Distribution.of(ratios)));
        }
        return overheads;
    }

    private List<Results.CacheVariant> cacheVariants() {
        Map<String, String> overrides = Map.of(
                UNCACHED, "teacher-flow.cache=false",
                FLOW_CACHE, "(defaults: teacher-flow.cache=true)",
                LOGIT_CACHE, "teacher-flow.logits=true");
        List<Double> uncached = cacheEpochs.values(UNCACHED);
        List<Results.CacheVariant> variants = new ArrayList<>();
        for (String name : List.of(UNCACHED, FLOW_CACHE, LOGIT_CACHE)) {
            List<Double> epochs = cacheEpochs.values(name);
            List<Double> speedups = new ArrayList<>();
            for (int round = 0; round < epochs.size(); round++) {
                speedups.add(uncached.get(round) / epochs.get(round));
            }
            variants.add(new Results.CacheVariant(name, "method=fad " + overrides.get(name),
                    Distribution.of(epochs), Distribution.of(speedups)));
        }
        return variants;
    }

    private Results.DataLoading dataLoadingResult() {
        double kdStepMs = kdFad.distribution("step").median();
        double fadStepMs = flowMetrics.get(FLOW_METRICS.get(0)).isEmpty()
                ? Double.NaN
                : flowMetrics.get(FLOW_METRICS.get(0)).distribution("step").median();
        double batchMs = dataLoading.distribution("batch_ms").median();
        return new Results.DataLoading(sizes.dataLoadingBatches(), dataLoading.distribution("samples_per_second"),
                dataLoading.distribution("batch_ms"), batchSize * 1000 / kdStepMs, batchSize * 1000 / fadStepMs,
                batchMs / kdStepMs, batchMs / fadStepMs);
    }

    private static double median(List<Double> values) {
        return Distribution.of(values).median();
    }

    /** Named series of per-round values, in insertion order. */
    private static final class Measurements {
        private final Map<String, List<Double>> series = new LinkedHashMap<>();

        void add(String name, double value) {
            series.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }

        List<Double> values(String name) {
            List<Double> values = series.get(name);
            if (values == null) {
                throw new IllegalStateException("nothing measured for '" + name + "'");
            }
            return values;
        }

        double last(String name) {
            List<Double> values = values(name);
            return values.get(values.size() - 1);
        }

        Distribution distribution(String name) {
            return Distribution.of(values(name));
        }

        /** The named series' distributions, in the order asked. */
        Map<String, Distribution> distributions(List<String> names) {
            Map<String, Distribution> distributions = new LinkedHashMap<>();
            names.forEach(name -> distributions.put(name, distribution(name)));
            return distributions;
        }

        List<String> names() {
            return List.copyOf(series.keySet());
        }

        boolean isEmpty() {
            return series.isEmpty();
        }

        void clear() {
            series.clear();
        }
    }
}
