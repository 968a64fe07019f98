package org.fadkd.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * Merges what the suite and the memory runs measured into one {@link Results}, and judges it against
 * the targets. Nothing here is tuned to pass: a target compares the median with the
 * issue's threshold, and one that could not be measured says so.
 */
final class Report {
    /** The selection benchmark needs code that does not exist yet; it is reported, not faked. */
    static final Results.Unavailable SELECTION_UNAVAILABLE = new Results.Unavailable("not available yet",
            "needs org.fadkd.engine.selection (StudentSelection), which is being written; benchmark 4 will time"
                    + " selection over the selection experiment's candidates against distilling all of them");
    static final String TOOL_FAD = "fad";
    static final String TOOL_PYTORCH = "pytorch";
    /** The reduced epoch of benchmark 3 whose teacher forward is skipped: the one the cache target is about. */
    static final String CACHED_VARIANT = "teacher-flow + logit cache";

    private Report() {}

    /**
     * @param date the day of the run, {@code yyyy-MM-dd}
     * @param mode {@code full} or {@code quick}
     * @param command the command line that produced it
     */
    static Results assemble(Suite.Part suite, List<Results.MemoryRun> memory, String date, String mode,
            String command) {
        Results measured = new Results(Results.SCHEMA, date, mode, command, suite.environment(), suite.pytorch(),
                suite.settings(), suite.parameters(), suite.kdStep(), suite.teacherStep(), suite.flowOverhead(),
                suite.cache(), SELECTION_UNAVAILABLE, List.copyOf(memory), suite.dataLoading(), List.of());
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
        targets.add(notMeasured("selection cost / cost of distilling every candidate", "≤ 5 %"));
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
