package org.fadkd.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * A results file, {@code benchmarks/results/<date>.json}: every benchmark of one run of {@code
 * benchmarks/run}, where it ran, and how the figures compare with the targets. Times are in
 * milliseconds ({@code _ms}) or seconds ({@code _s}), memory in MiB ({@code _mb}). A figure over
 * repeats is a {@link Distribution}; a value that could not be measured is absent, with a reason.
 *
 * @param schema the layout's version; bumped when a field changes meaning
 * @param date the day of the run, {@code yyyy-MM-dd}
 * @param mode {@code full} or {@code quick} (a smoke run: few repeats, not for comparison)
 * @param command the command that produced the file
 */
public record Results(
        int schema,
        String date,
        String mode,
        String command,
        Environment environment,
        PyTorchSide pytorch,
        Settings settings,
        List<ParameterCheck> parameters,
        StepComparison kdStep,
        StepComparison teacherStep,
        List<FlowOverhead> flowOverhead,
        CacheEpochs cache,
        Selection selection,
        List<MemoryRun> memory,
        DataLoading dataLoading,
        List<Target> targets) {
    static final int SCHEMA = 1;

    /** These results judged against {@code targets}. */
    Results withTargets(List<Target> targets) {
        return new Results(schema, date, mode, command, environment, pytorch, settings, parameters, kdStep,
                teacherStep, flowOverhead, cache, selection, memory, dataLoading, List.copyOf(targets));
    }

    /**
     * The machine and the JVM side's libraries.
     *
     * @param threads the PyTorch engine's intra-op and inter-op threads as it reports them
     * @param loadAverageStart {@code /proc/loadavg}'s first three fields when the suite started:
     *     other work on the machine makes timings noisy
     */
    public record Environment(
            int cores,
            String cpu,
            String os,
            long memoryMb,
            String jvm,
            List<String> jvmOptions,
            String fadVersion,
            String gitCommit,
            String djlVersion,
            String pytorchEngine,
            Threads threads,
            String loadAverageStart,
            String loadAverageEnd) {}

    /** Intra-op and inter-op thread counts. */
    public record Threads(int intraOp, int interOp) {}

    /**
     * The PyTorch side: the script's report of itself, or why there is none.
     *
     * @param info versions, threads and parameter counts; null when unavailable
     * @param unavailable why PyTorch could not run; null when it did
     */
    public record PyTorchSide(PyTorchInfo info, String unavailable) {}

    /** What {@code benchmark.py info} prints. */
    public record PyTorchInfo(
            String python, String torch, Threads threads, Map<String, Long> parameters, String parallelBackend) {}

    /**
     * How the run was sized.
     *
     * @param rounds repeats of every timed benchmark, interleaved (each round runs each once)
     * @param warmupSteps untimed steps at the start of each timed run
     * @param timedSteps timed steps per run of benchmarks 1 and 2
     * @param epochSteps steps of the reduced epoch of benchmark 3
     * @param dataLoadingBatches batches per round of benchmark 6
     * @param batchSize the training batch size
     * @param teacherWeights what the teacher's weights are
     * @param dataDirectory where Fashion-MNIST was read from, by both sides
     */
    public record Settings(
            int rounds,
            int warmupSteps,
            int timedSteps,
            int epochSteps,
            int dataLoadingBatches,
            int batchSize,
            String teacherWeights,
            String dataDirectory) {}

    /** Trainable parameters of one model as FAD builds it and as the PyTorch script does (null: not run). */
    public record ParameterCheck(String model, long fad, Long pytorch) {
        /** Whether both sides agree (false when the PyTorch side did not run). */
        public boolean matches() {
            return pytorch != null && pytorch == fad;
        }
    }

    /**
     * Benchmark 1: one training step in FAD and in eager PyTorch, interleaved round by round.
     *
     * @param fadMs FAD's median step per round
     * @param pytorchMs PyTorch's median step per round; null when PyTorch did not run
     * @param ratio PyTorch time / FAD time per round (above 1: FAD is faster); null without PyTorch
     * @param fadPhasesMs parts of FAD's step measured on their own (median per round)
     * @param pytorchPhasesMs parts of PyTorch's step, timed inside it (median per round)
     */
    public record StepComparison(
            Distribution fadMs,
            Distribution pytorchMs,
            Distribution ratio,
            Map<String, Distribution> fadPhasesMs,
            Map<String, Distribution> pytorchPhasesMs) {}

    /**
     * Benchmark 2: a fad step with one flow metric against a kd step of the same round.
     *
     * @param status {@code measured} or {@code not applicable}
     * @param reason why it is not applicable (FAD's own message); null when measured
     * @param ratio fad time / kd time per round
     */
    public record FlowOverhead(
            String metric,
            boolean defaultMetric,
            String status,
            String reason,
            Distribution fadMs,
            Distribution kdMs,
            Distribution ratio) {}

    /**
     * Benchmark 3: one reduced epoch of fad per teacher-cache setting.
     *
     * @param steps steps of the epoch (timed after the warm-up steps)
     * @param build what filling the cache cost, once, before the first cached epoch
     */
    public record CacheEpochs(int steps, List<CacheVariant> variants, CacheBuild build) {}

    /**
     * @param speedup the uncached epoch's time / this epoch's time, per round
     */
    public record CacheVariant(String name, String overrides, Distribution epochS, Distribution speedup) {}

    /** The one-off cost of the teacher-flow cache over the training samples of the reduced epoch. */
    public record CacheBuild(int samples, double profileS, double logitsS) {}

    /**
     * Benchmark 4: student selection over the selection experiment's candidates against distilling
     * every one of them, as {@code runner select --validate} measured it (its {@code validation.json}),
     * or why it was not run. Distilling every candidate takes about an hour, so the suite reads the
     * figures rather than running it.
     *
     * @param status {@code measured} or {@code not run}
     * @param reason why it was not run, or null
     * @param source the {@code validation.json} the figures come from, or null
     * @param candidates the feasible candidates distilled
     * @param selectionS the wall time of the selection
     * @param distillationS the wall time of distilling every feasible candidate, summed
     * @param costFraction {@code selectionS / distillationS}
     * @param spearman Spearman's ρ of selection score and final top-1, or null when undefined (ties)
     */
    public record Selection(String status, String reason, String source, Integer candidates, Double selectionS,
            Double distillationS, Double costFraction, Double spearman) {
        static final String MEASURED = "measured";
        static final String NOT_RUN = "not run";

        static Selection notRun(String reason) {
            return new Selection(NOT_RUN, reason, null, null, null, null, null, null);
        }

        boolean measured() {
            return MEASURED.equals(status);
        }
    }

    /**
     * Benchmark 5: resident memory over one distillation run in its own process.
     *
     * @param tool {@code fad} or {@code pytorch}
     * @param method the distillation method
     * @param rssMbAfterSetup after the data and models are loaded, before training
     * @param rssMbByEpoch at the end of each epoch, after its validation pass
     * @param peakRssMb the process's peak resident set ({@code VmHWM}) at the end
     * @param jvmHeapCommittedMbByEpoch the JVM's committed heap (part of the resident set) at the end
     *     of each epoch; null for PyTorch
     * @param options how the process ran (JVM options, or the Python version)
     */
    public record MemoryRun(
            String tool,
            String method,
            int epochs,
            int stepsPerEpoch,
            double rssMbAfterSetup,
            List<Double> rssMbByEpoch,
            double peakRssMb,
            List<Double> jvmHeapCommittedMbByEpoch,
            List<Double> epochSeconds,
            String options) {
        /** RSS at the end of 1-based {@code epoch}. */
        double rssAtEpoch(int epoch) {
            return rssMbByEpoch.get(epoch - 1);
        }
    }

    /**
     * Benchmark 6: the batch pipeline alone against what training consumes.
     *
     * @param samplesPerSecond samples per second the pipeline delivers, per round
     * @param batchMs milliseconds per batch, per round
     * @param kdStepSamplesPerSecond what a kd step consumes (batch size / FAD's median kd step)
     * @param fadStepSamplesPerSecond the same for a fad step with the default flow metric
     * @param loadingShareOfKdStep the share of a kd step spent building its batch (time the step
     *     waits when the loop loads synchronously, trainer.prefetch = 0)
     */
    public record DataLoading(
            int batchesPerRound,
            Distribution samplesPerSecond,
            Distribution batchMs,
            double kdStepSamplesPerSecond,
            double fadStepSamplesPerSecond,
            double loadingShareOfKdStep,
            double loadingShareOfFadStep) {}

    /**
     * One of the targets.
     *
     * @param measured the figure, formatted
     * @param met null when it could not be measured
     */
    public record Target(String name, String measured, String threshold, Boolean met) {}
}
