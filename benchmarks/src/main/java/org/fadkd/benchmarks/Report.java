package org.fadkd.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import org.fadkd.engine.util.Json;

/**
 * Merges what the suite and the memory runs measured into one {@link Results}, and judges it against
 * the targets. Nothing here is tuned to pass: a target compares the median with the
 * issue's threshold, and one that could not be measured says so.
 */
final class Report {
    /**
     * Benchmark 4 without its input: distilling every candidate takes about an hour, longer than the
     * whole suite, so the figures come from a separate run, which the reason names.
     */
    static final Results.Selection SELECTION_NOT_RUN = Results.Selection.notRun("needs the validation.json that"
            + " './runner select --experiment fashion_mnist_selection --validate' writes into its run directory"
            + " (it distils every feasible candidate, about an hour); pass it with"
            + " benchmarks/run --selection-validation FILE");
    /** The target for benchmark 4: selecting costs at most this fraction of distilling every candidate. */
    static final double SELECTION_COST_TARGET = 0.05;
    static final String TOOL_FAD = "fad";
    static final String TOOL_PYTORCH = "pytorch";
    /** The reduced epoch of benchmark 3 whose teacher forward is skipped: the one the cache target is about. */
    static final String CACHED_VARIANT = "teacher-flow + logit cache";

    private Report() {}

    /**
     * @param selection benchmark 4, from {@link #selection} or {@link #SELECTION_NOT_RUN}
     * @param date the day of the run, {@code yyyy-MM-dd}
     * @param mode {@code full} or {@code quick}
     * @param command the command line that produced it
     */
    static Results assemble(Suite.Part suite, List<Results.MemoryRun> memory, Results.Selection selection,
            String date, String mode, String command) {
        Results measured = new Results(Results.SCHEMA, date, mode, command, suite.environment(), suite.pytorch(),
                suite.settings(), suite.parameters(), suite.kdStep(), suite.teacherStep(), suite.flowOverhead(),
                suite.cache(), selection, List.copyOf(memory), suite.dataLoading(), List.of());
        return measured.withTargets(targets(measured));
    }

    /** The targets, in its order. */
    static List<Results.Target> targets(Results results) {
        List<Results.Target> targets = new ArrayList<>();
        targets.add(fromDistribution("kd step: PyTorch time / FAD time", results.kdStep().ratio(), "≥ 1.0",
                ratio -> ratio >= 1.0));
        targets.add(fromDistribution("teacher training step: PyTorch time / FAD time",
                results.teacherStep().ratio(), "≥ 1.0", ratio -> ratio >= 1.0));
        Optional<Results.MemoryRun> fadKd = memoryRun(results, TOOL_FAD, "kd");
        Optional<Results.MemoryRun> pytorchKd = memoryRun(results, TOOL_PYTORCH, "kd");
        if (fadKd.isPresent() && pytorchKd.isPresent()) {
            int last = fadKd.get().epochs();
            double steady = fadKd.get().rssAtEpoch(last) / pytorchKd.get().rssAtEpoch(last);
            double peak = fadKd.get().peakRssMb() / pytorchKd.get().peakRssMb();
            targets.add(new Results.Target("kd run: resident memory at the end, FAD / PyTorch",
                    format(steady), "≤ 1.5", steady <= 1.5));
            targets.add(new Results.Target("kd run: peak resident memory, FAD / PyTorch",
                    format(peak), "≤ 2.0", peak <= 2.0));
        } else {
            targets.add(notMeasured("kd run: resident memory at the end, FAD / PyTorch", "≤ 1.5"));
            targets.add(notMeasured("kd run: peak resident memory, FAD / PyTorch", "≤ 2.0"));
        }
        results.flowOverhead().stream().filter(Results.FlowOverhead::defaultMetric).findFirst().ifPresentOrElse(
                overhead -> targets.add(fromDistribution(
                        "fad step (default metric " + overhead.metric() + ") / kd step", overhead.ratio(), "≤ 1.15",
                        ratio -> ratio <= 1.15)),
                () -> targets.add(notMeasured("fad step (default metric) / kd step", "≤ 1.15")));
        results.cache().variants().stream().filter(variant -> variant.name().equals(CACHED_VARIANT)).findFirst()
                .ifPresentOrElse(
                        variant -> targets.add(fromDistribution(
                                "fad epoch: uncached time / time with the " + CACHED_VARIANT, variant.speedup(),
                                "≥ 1.3", speedup -> speedup >= 1.3)),
                        () -> targets.add(notMeasured("fad epoch: uncached / cached", "≥ 1.3")));
        String selectionTarget = "selection cost / cost of distilling every candidate";
        Results.Selection selection = results.selection();
        if (selection.measured()) {
            targets.add(new Results.Target(selectionTarget,
                    String.format(Locale.ROOT, "%.1f %%", selection.costFraction() * 100), "≤ 5 %",
                    selection.costFraction() <= SELECTION_COST_TARGET));
        } else {
            targets.add(notMeasured(selectionTarget, "≤ 5 %"));
        }
        for (Results.MemoryRun run : results.memory()) {
            if (!run.tool().equals(TOOL_FAD)) {
                continue;
            }
            String name = String.format(Locale.ROOT, "%s run (FAD): resident memory growth, epoch 2 → %d",
                    run.method(), run.epochs());
            if (run.epochs() < 2) {
                targets.add(notMeasured(name, "< 5 %"));
                continue;
            }
            double growth = growthPercent(run);
            targets.add(new Results.Target(name, String.format(Locale.ROOT, "%+.1f %%", growth), "< 5 %",
                    growth < 5));
        }
        return targets;
    }

    /**
     * Benchmark 4 from the {@code validation.json} of {@code runner select --validate}: the selection's
     * and the distillations' wall times, their ratio and Spearman's ρ, as that run measured them.
     */
    static Results.Selection selection(Path validationFile) {
        ValidationFile validation = Json.read(validationFile, ValidationFile.class);
        if (validation.selectionSeconds() == null || validation.distillationSeconds() == null
                || validation.candidates() == null) {
            throw new IllegalArgumentException(validationFile + " has no selection_seconds, distillation_seconds or"
                    + " candidates: it is not a validation.json of 'runner select --validate'");
        }
        return new Results.Selection(Results.Selection.MEASURED, null, validationFile.toString(),
                validation.candidates(), validation.selectionSeconds(), validation.distillationSeconds(),
                validation.selectionSeconds() / validation.distillationSeconds(), validation.spearman());
    }

    /** The part of {@code validation.json} (SelectionValidation.toJson in the engine) benchmark 4 reports. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ValidationFile(Double spearman, Integer candidates, Double selectionSeconds, Double distillationSeconds) {}

    /** Relative change of resident memory from the end of epoch 2 to the end of the run, in percent. */
    static double growthPercent(Results.MemoryRun run) {
        double second = run.rssAtEpoch(2);
        return (run.rssAtEpoch(run.epochs()) - second) / second * 100;
    }

    static Optional<Results.MemoryRun> memoryRun(Results results, String tool, String method) {
        return results.memory().stream()
                .filter(run -> run.tool().equals(tool) && run.method().equals(method))
                .findFirst();
    }

    private static Results.Target fromDistribution(
            String name, Distribution distribution, String threshold, DoublePredicate met) {
        if (distribution == null) {
            return notMeasured(name, threshold);
        }
        return new Results.Target(name, Markdown.spread(distribution, 2), threshold, met.test(distribution.median()));
    }

    private static Results.Target notMeasured(String name, String threshold) {
        return new Results.Target(name, "not measured", threshold, null);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
