package org.fadkd.runner.job;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table printed at the end of a run: teacher and students side by side. */
public final class SummaryTable {
    private SummaryTable() {}

    public static String render(List<JobResult> results) {
        StringBuilder out = new StringBuilder();
        String format = "%-4s %-10s %-9s %-9s %10s %10s %10s %12s %10s%n";
        out.append(String.format(Locale.ROOT, format,
                "job", "method", "model", "status", "best top1", "final top1", "params", "compression", "wall s"));
        JobResult first = results.stream().filter(r -> r.metrics().containsKey("teacher_top1")).findFirst().orElse(null);
        if (first != null) {
            Map<String, Object> metrics = first.metrics();
            out.append(String.format(Locale.ROOT, format, "-", "teacher", first.spec().teacher(),
                    Boolean.TRUE.equals(metrics.get("teacher_cached")) ? "cached" : "trained",
                    "", number(metrics.get("teacher_top1"), "%.4f"), number(metrics.get("teacher_params"), "%,d"),
                    "1.0x", number(metrics.get("teacher_training_s"), "%.0f")));
        }
        for (JobResult result : results) {
            Map<String, Object> metrics = result.metrics();
            out.append(String.format(Locale.ROOT, format,
                    result.spec().number(), result.spec().method(), result.spec().student(),
                    result.summary().get("status"),
                    number(metrics.get("best_top1"), "%.4f"), number(metrics.get("final_top1"), "%.4f"),
                    number(metrics.get("student_params"), "%,d"),
                    number(metrics.get("compression_ratio"), "%.1fx"), number(metrics.get("wall_time_s"), "%.0f")));
        }
        out.append("Accuracies are top-1 on the test split; best is over epochs, final after the last epoch.\n");
        out.append("Job directories (config.conf, summary.json, tracking.jsonl):\n");
        for (JobResult result : results) {
            out.append("  ").append(result.spec().number()).append(": ").append(result.directory()).append('\n');
        }
        return out.toString();
    }

    private static String number(Object value, String format) {
        if (value == null) {
            return "-";
        }
        return String.format(Locale.ROOT, format, value);
    }
}
