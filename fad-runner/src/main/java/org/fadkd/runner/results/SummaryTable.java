package org.fadkd.runner.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables printed at the end of a run: teacher and students side by side, then, when some
 * configuration ran with several seeds, mean ± standard deviation per configuration.
 */
public final class SummaryTable {
    /** Small models at small inputs take well under a GFLOP: four decimals keep them apart. */
    private static final String GFLOPS = "%.4f";
    /** The heading of the comparison with the student alone. */
    private static final String VS_NONE = "vs none (95% CI)";

    private SummaryTable() {}

    public static String render(List<JobResult> results) {
        StringBuilder out = new StringBuilder();
        String format = "%-4s %-10s %-9s %-9s %10s %10s %10s %12s %8s %8s %10s %8s %8s%n";
        out.append(String.format(Locale.ROOT, format, "job", "method", "model", "status", "best top1", "final top1",
                "params", "compression", "GFLOPs", "size MB", "latency ms", "speed-up", "wall s"));
        JobResult first = results.stream().filter(r -> r.metrics().containsKey("teacher_top1")).findFirst().orElse(null);
        if (first != null) {
            Map<String, Object> metrics = first.metrics();
            out.append(String.format(Locale.ROOT, format, "-", "teacher", first.spec().teacher(),
                    Boolean.TRUE.equals(metrics.get("teacher_cached")) ? "cached" : "trained",
                    "", number(metrics.get("teacher_top1"), "%.4f"), number(metrics.get("teacher_params"), "%,d"),
                    "1.0x", number(metrics.get("teacher_gflops"), GFLOPS), number(metrics.get("teacher_size_mb"), "%.2f"),
                    number(metrics.get("teacher_latency_ms"), "%.2f"),
                    metrics.containsKey("teacher_latency_ms") ? "1.0x" : "-",
                    number(metrics.get("teacher_training_s"), "%.0f")));
        }
        for (JobResult result : results) {
            Map<String, Object> metrics = result.metrics();
            out.append(String.format(Locale.ROOT, format,
                    result.spec().number(), result.spec().method(), result.spec().student(),
                    result.summary().status(),
                    number(metrics.get("best_top1"), "%.4f"), number(metrics.get("final_top1"), "%.4f"),
                    number(metrics.get("student_params"), "%,d"), number(metrics.get("compression_ratio"), "%.1fx"),
                    number(metrics.get("student_gflops"), GFLOPS), number(metrics.get("student_size_mb"), "%.2f"),
                    number(metrics.get("student_latency_ms"), "%.2f"), number(metrics.get("speedup"), "%.1fx"),
                    number(metrics.get("wall_time_s"), "%.0f")));
        }
        out.append("Top-1: best is the best epoch's on validation; final is the test split's, measured once on the kept weights.\n");
        out.append("GFLOPs per sample at the input size (1 MAC = 1 FLOP); size of the saved weights in MiB; latency"
                + " the median at batch 1; speed-up = teacher latency / student latency.\n");
        out.append(renderGroups(results));
        out.append("Job directories (config.conf, summary.json, tracking.jsonl, the exported student/):\n");
        for (JobResult result : results) {
            out.append("  ").append(result.spec().number()).append(": ").append(result.directory()).append('\n');
        }
        return out.toString();
    }

    /**
     * One row per configuration (the job's overrides without {@code seed}) that finished with at
     * least two seeds: mean ± sample standard deviation of best and final top-1, D_align after
     * distillation when measured, and the mean wall time. When some configuration ran the student
     * alone ({@code method=none}), each row also shows its final top-1 minus that baseline's,
     * paired by seed, with the 95 % interval ({@link PairedComparison}); otherwise a line says
     * there is no baseline.
     */
    static String renderGroups(List<JobResult> results) {
        Map<String, List<JobResult>> groups = groupByConfiguration(results);
        if (groups.values().stream().noneMatch(group -> group.size() >= 2)) {
            return "";
        }
        PairedComparison comparison = PairedComparison.of(groups);
        StringBuilder out = new StringBuilder();
        // The comparison comes last and unpadded: it is the widest column, and the mean of every
        // row starts in the same place whether or not an interval follows it.
        String format = "%-28s %-9s %3s %17s %17s %17s %10s %8s";
        out.append(String.format(Locale.ROOT, "%nMean ± standard deviation over seeds:%n"));
        out.append(String.format(Locale.ROOT, format, "configuration", "model", "n", "best top1", "final top1",
                "D_align after", "params", "wall s"));
        out.append(comparison.hasBaseline() ? "  " + VS_NONE + "\n" : "\n");
        for (Map.Entry<String, List<JobResult>> entry : groups.entrySet()) {
            List<JobResult> group = entry.getValue();
            if (group.size() < 2) {
                continue;
            }
            JobResult first = group.get(0);
            double[] dAlign = values(group, "flow", "d_align_after");
            out.append(String.format(Locale.ROOT, format, entry.getKey(), first.spec().student(), group.size(),
                    meanStd(values(group, "metrics", "best_top1"), "%.4f"),
                    meanStd(values(group, "metrics", "final_top1"), "%.4f"),
                    dAlign.length == group.size() ? meanStd(dAlign, "%.4f") : "-",
                    number(first.metrics().get("student_params"), "%,d"),
                    String.format(Locale.ROOT, "%.0f", mean(values(group, "metrics", "wall_time_s")))));
            if (comparison.hasBaseline()) {
                out.append("  ").append(versusBaseline(comparison, entry.getKey()));
            }
            out.append('\n');
        }
        if (comparison.hasBaseline()) {
            out.append(VS_NONE).append(": final top-1 minus the student alone's (method=none, the other overrides"
                    + " the same), paired by seed;\n  mean [95% t-interval] n=seeds paired; * the interval excludes"
                    + " zero, a difference beyond seed-to-seed noise; n=1 has no interval.\n");
        } else {
            out.append("No baseline in this sweep: add method=none to compare.\n");
        }
        return out.toString();
    }

    private static String versusBaseline(PairedComparison comparison, String label) {
        if (comparison.isBaseline(label)) {
            return "baseline";
        }
        return comparison.difference(label, "final_top1")
                .map(difference -> difference.toText(1, 4))
                .orElse("no baseline with these overrides");
    }

    /**
     * The finished jobs grouped by configuration (their {@link #configurationLabel}), groups and
     * jobs in the order of {@code results}. Runs of one configuration with different seeds are
     * repetitions of one measurement; this is the grouping every mean ± std is taken over.
     */
    public static Map<String, List<JobResult>> groupByConfiguration(List<JobResult> results) {
        Map<String, List<JobResult>> groups = new LinkedHashMap<>();
        for (JobResult result : results) {
            if (result.finished()) {
                groups.computeIfAbsent(configurationLabel(result.spec()), key -> new ArrayList<>()).add(result);
            }
        }
        return groups;
    }

    /**
     * The overrides that made a job, without its seed and without {@code tracking.*}, {@code run.*}
     * and {@code sweep.*} (where a run is logged or written does not change what it computes); the
     * method's name when nothing else is left.
     */
    public static String configurationLabel(JobSpec spec) {
        List<String> rest = configurationOverrides(spec);
        return rest.isEmpty() ? spec.method() : String.join(" ", rest);
    }

    /**
     * The overrides a {@link #configurationLabel} is made of, in the job's order: all but the
     * seed, {@code tracking.*}, {@code run.*} and {@code sweep.*}. Possibly empty.
     */
    public static List<String> configurationOverrides(JobSpec spec) {
        return spec.overrides().stream()
                .filter(o -> !o.startsWith("seed=") && !o.startsWith("tracking.") && !o.startsWith("run.")
                        && !o.startsWith("sweep."))
                .toList();
    }

    /**
     * The numbers at {@code section.key} (e.g. {@code metrics.best_top1}) of the jobs' summaries
     * that have one, in job order; jobs without it are left out, so the array may be shorter.
     */
    public static double[] values(List<JobResult> jobs, String section, String key) {
        return jobs.stream()
                .map(job -> job.summary().toJson().get(section))
                .filter(Map.class::isInstance)
                .map(map -> ((Map<?, ?>) map).get(key))
                .filter(Number.class::isInstance)
                .mapToDouble(value -> ((Number) value).doubleValue())
                .toArray();
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElse(Double.NaN);
    }

    /**
     * Mean ± sample standard deviation (n − 1; 0 for one value), each with {@code format}; "-"
     * when there are no values.
     */
    public static String meanStd(double[] values, String format) {
        if (values.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, format + " ± " + format, mean(values), standardDeviation(values));
    }

    /** The sample standard deviation (n − 1) of the values; 0 for one value, NaN for none. */
    public static double standardDeviation(double[] values) {
        if (values.length < 2) {
            return values.length == 0 ? Double.NaN : 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    private static String number(Object value, String format) {
        if (value == null) {
            return "-";
        }
        return String.format(Locale.ROOT, format, value);
    }
}
