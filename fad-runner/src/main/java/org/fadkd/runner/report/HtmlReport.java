package org.fadkd.runner.report;

import static org.fadkd.runner.report.Html.escape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.fadkd.engine.report.FlowPlots;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.PairedComparison;
import org.fadkd.runner.results.SummaryTable;

/**
 * Writes the report's HTML: one section per experiment with the results table, the radar charts,
 * the accuracy-vs-GFLOPs scatter, each job's flow plots and the job list. A measurement no job
 * recorded shows as "–", and a chart that cannot be drawn is replaced by a note saying why.
 */
final class HtmlReport {
    private static final String MISSING = "–";
    private static final int MIN_RADAR_AXES = 3;

    /**
     * A column of the results table: the student's metric, the teacher's (null when the teacher
     * has none) and the factor from the recorded unit to the shown one. A paired column is
     * followed by the metric's difference to the student alone when the experiment has one: only
     * final top-1's, the one the console shows, so that the table stays within the page's width.
     */
    private record Column(String name, String unit, String metric, String teacherMetric, double scale,
            boolean percent, boolean paired) {
        /** The heading, its unit on a second line so that eleven columns fit 1200 px. */
        String heading() {
            return escape(name) + (unit.isEmpty() ? "" : "<br><span class=\"unit\">(" + escape(unit) + ")</span>");
        }
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("best top-1", "%", "best_top1", null, 100, true, false),
            new Column("final top-1", "%", "final_top1", "teacher_top1", 100, true, true),
            new Column("params", "M", "student_params", "teacher_params", 1e-6, false, false),
            new Column("GFLOPs", "", "student_gflops", "teacher_gflops", 1, false, false),
            new Column("size", "MB", "student_size_mb", "teacher_size_mb", 1, false, false),
            new Column("latency", "ms", "student_latency_ms", "teacher_latency_ms", 1, false, false),
            new Column("throughput", "samples/s", "student_throughput", "teacher_throughput", 1, false, false),
            new Column("compression time", "s", "compression_time_s", null, 1, false, false));

    /** Decimals of a difference in percentage points, as the top-1 columns show percentages. */
    private static final int DIFFERENCE_DECIMALS = 2;

    private final StringBuilder html = new StringBuilder(1 << 16);

    private HtmlReport() {}

    /**
     * The report of {@code results}.
     *
     * @param title the page's heading
     * @param sources the directories the results were read from, for the header
     * @param notes what could not be read, shown at the top
     * @param writtenAt when, for the header
     */
    static String render(String title, List<Path> sources, List<JobResult> results, List<String> notes,
            String writtenAt) {
        HtmlReport report = new HtmlReport();
        report.page(title, sources, results, notes, writtenAt);
        return report.html.toString();
    }

    private void page(String title, List<Path> sources, List<JobResult> results, List<String> notes,
            String writtenAt) {
        html.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                %s</style>
                </head>
                <body>
                <main>
                <h1>%s</h1>
                """.formatted(escape(title), STYLE, escape(title)));
        long finished = results.stream().filter(JobResult::finished).count();
        html.append("<p class=\"meta\">").append(results.size()).append(results.size() == 1 ? " job" : " jobs")
                .append(" (").append(finished).append(" finished) from ")
                .append(sources.stream().map(source -> "<code>" + escape(source.toString()) + "</code>")
                        .collect(Collectors.joining(", ")))
                .append("; written ").append(escape(writtenAt)).append(".</p>\n");
        for (String note : notes) {
            note(note);
        }
        Map<String, List<JobResult>> experiments = new LinkedHashMap<>();
        for (JobResult result : results) {
            experiments.computeIfAbsent(result.spec().experiment(), key -> new ArrayList<>()).add(result);
        }
        for (Map.Entry<String, List<JobResult>> experiment : experiments.entrySet()) {
            experiment(experiment.getKey(), experiment.getValue());
        }
        html.append("</main>\n</body>\n</html>\n");
    }

    private void experiment(String name, List<JobResult> jobs) {
        List<ConfigurationResults> configurations = new ArrayList<>();
        Map<String, List<JobResult>> groups = SummaryTable.groupByConfiguration(jobs);
        groups.forEach((label, group) -> configurations.add(new ConfigurationResults(label, group)));
        html.append("<section>\n<h2>Experiment ").append(escape(name)).append(": teacher ")
                .append(escape(jobs.get(0).spec().teacher())).append("</h2>\n");
        if (configurations.isEmpty()) {
            note("No job of this experiment finished; only the job list below has anything to show.");
        } else {
            resultsTable(configurations, PairedComparison.of(groups));
            radarCharts(configurations);
            scatter(configurations);
            flowPlots(configurations);
        }
        jobList(jobs);
        html.append("</section>\n");
    }

    private void resultsTable(List<ConfigurationResults> configurations, PairedComparison comparison) {
        html.append("""
                <h3>Results per configuration</h3>
                <p>Mean ± sample standard deviation over the seeds of each configuration (its overrides without \
                <code>seed</code>); top-1 on the test split, best over epochs and after the last epoch. \
                The teacher row, measured in every job, is what the students are compressed from.</p>
                """);
        boolean paired = comparison.hasBaseline();
        ConfigurationResults teacher = everyJob(configurations);
        html.append("<div class=\"scroll\"><table class=\"results\">\n<thead><tr><th>configuration</th>"
                + "<th>student</th><th>seeds</th>");
        for (Column column : COLUMNS) {
            html.append("<th>").append(column.heading()).append("</th>");
            if (paired && column.paired()) {
                html.append("<th>final vs none<br><span class=\"unit\">(pp, 95% CI)</span></th>");
            }
        }
        html.append("</tr></thead>\n<tbody>\n");
        List<String> decimals = COLUMNS.stream().map(column -> format(column, configurations)).toList();
        html.append("<tr class=\"teacher\"><td>teacher</td><td>")
                .append(escape(configurations.get(0).jobs().get(0).spec().teacher())).append("</td><td>")
                .append(MISSING).append("</td>");
        for (int c = 0; c < COLUMNS.size(); c++) {
            Column column = COLUMNS.get(c);
            html.append("<td>").append(column.teacherMetric() == null ? MISSING
                    : cell(teacher, column.teacherMetric(), column.scale(), decimals.get(c))).append("</td>");
            if (paired && column.paired()) {
                html.append("<td>").append(MISSING).append("</td>");
            }
        }
        html.append("</tr>\n");
        for (int i = 0; i < configurations.size(); i++) {
            ConfigurationResults configuration = configurations.get(i);
            html.append("<tr><td>").append(swatch(i)).append(escape(configuration.label())).append("</td><td>")
                    .append(escape(configuration.student())).append("</td><td>")
                    .append(configuration.jobs().size()).append("</td>");
            for (int c = 0; c < COLUMNS.size(); c++) {
                Column column = COLUMNS.get(c);
                html.append("<td>").append(cell(configuration, column.metric(), column.scale(), decimals.get(c)))
                        .append("</td>");
                if (paired && column.paired()) {
                    html.append("<td>").append(versusBaseline(comparison, configuration, column))
                            .append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
        if (paired) {
            html.append("""
                    <p>final vs none: the configuration's final top-1 minus the student alone's \
                    (<code>method=none</code> with otherwise the same settings) in percentage points, paired by \
                    seed over the seeds both finished: the mean difference with the number of pairs n, and below \
                    it the 95 % Student's t interval. A configuration is ahead of the student alone (or behind it) \
                    only when the interval excludes zero, marked *; n=1 gives no interval.</p>
                    """);
        } else {
            note("No baseline in this sweep: add method=none to compare with the student alone, paired by seed.");
        }
        List<String> absent = COLUMNS.stream()
                .filter(column -> configurations.stream().allMatch(c -> c.values(column.metric()).length == 0))
                .map(column -> column.name() + " (" + column.metric() + ")")
                .toList();
        if (!absent.isEmpty()) {
            note("Not recorded in these jobs' summary.json, so shown as " + MISSING + ": " + String.join(", ", absent)
                    + ". Jobs run before the runner wrote the compression measurements lack them.");
        }
    }

    /**
     * The paired difference of the column's metric to the configuration's baseline: the mean, *
     * when the interval excludes zero, and n on one line, the interval below it (two short lines
     * keep the column narrow); "–" where the configuration did not record the metric, like the
     * metric's own cell.
     */
    private static String versusBaseline(PairedComparison comparison, ConfigurationResults configuration,
            Column column) {
        if (configuration.values(column.metric()).length == 0) {
            return MISSING;
        }
        if (comparison.isBaseline(configuration.label())) {
            return "<span class=\"partial\">baseline</span>";
        }
        PairedComparison.Difference difference =
                comparison.difference(configuration.label(), column.metric()).orElse(null);
        if (difference == null) {
            return "<span class=\"partial\" title=\"no method=none configuration with otherwise the same"
                    + " settings\">no baseline</span>";
        }
        if (difference.n() == 0) {
            return "<span class=\"partial\">no common seed</span>";
        }
        String mean = escape(difference.meanText(column.scale(), DIFFERENCE_DECIMALS))
                + (difference.excludesZero() ? " *" : "") + " (n=" + difference.n() + ")";
        return difference.hasInterval() ? mean + "<br><span class=\"interval\">"
                + escape(difference.intervalText(column.scale(), DIFFERENCE_DECIMALS)) + "</span>" : mean;
    }

    /**
     * The number format of a column: two decimals for accuracies, otherwise three significant
     * digits of the column's smallest mean, so that every row keeps at least three: a column of
     * 0.0241 and 0.309 M params, and one of 4,800 samples/s, both read well.
     */
    private static String format(Column column, List<ConfigurationResults> configurations) {
        if (column.percent()) {
            return "%.2f";
        }
        double smallest = Double.POSITIVE_INFINITY;
        for (ConfigurationResults configuration : configurations) {
            for (String metric : Arrays.asList(column.metric(), column.teacherMetric())) {
                OptionalDouble mean = metric == null ? OptionalDouble.empty() : configuration.mean(metric);
                if (mean.isPresent() && mean.getAsDouble() != 0) {
                    smallest = Math.min(smallest, Math.abs(mean.getAsDouble() * column.scale()));
                }
            }
        }
        int decimals = smallest == Double.POSITIVE_INFINITY ? 2
                : Math.max(0, Math.min(6, 2 - (int) Math.floor(Math.log10(smallest))));
        return "%." + decimals + "f";
    }

    /**
     * Mean ± std over the jobs that recorded the metric, with how many did when not all. Where
     * every value is the same (one seed, or a deterministic count) the value stands alone: a
     * spread of zero says nothing.
     */
    private static String cell(ConfigurationResults configuration, String metric, double scale, String format) {
        double[] values = Arrays.stream(configuration.values(metric)).map(value -> value * scale).toArray();
        if (values.length == 0) {
            return MISSING;
        }
        boolean allEqual = Arrays.stream(values).allMatch(value -> value == values[0]);
        String text = allEqual ? String.format(Locale.ROOT, format, values[0]) : SummaryTable.meanStd(values, format);
        int jobs = configuration.jobs().size();
        return values.length < jobs ? text + " <span class=\"partial\">(" + values.length + " of " + jobs + ")</span>"
                : text;
    }

    private void radarCharts(List<ConfigurationResults> configurations) {
        html.append("""
                <h3>Radar charts</h3>
                <p>Each axis 0–100, higher is better (clamped): Acc is the mean best top-1 as is; compression time \
                100·(1 − t/t<sub>max</sub>), t<sub>max</sub> the slowest configuration here; latency \
                100·(1 − lat/lat<sub>teacher</sub>) = 100·(1 − 1/speed-up); size, GFLOPs and params \
                100·(1 − x/x<sub>teacher</sub>), the compression level against the uncompressed teacher.</p>
                """);
        List<Map<RadarAxis, Double>> scores = RadarScores.score(configurations);
        html.append("<div class=\"scroll\"><table class=\"scores\">\n<thead><tr><th>configuration</th>");
        for (RadarAxis axis : RadarAxis.values()) {
            html.append("<th>").append(escape(axis.label())).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < configurations.size(); i++) {
            html.append("<tr><td>").append(swatch(i)).append(escape(configurations.get(i).label())).append("</td>");
            for (RadarAxis axis : RadarAxis.values()) {
                Double score = scores.get(i).get(axis);
                html.append("<td>").append(score == null ? MISSING : String.format(Locale.ROOT, "%.1f", score))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
        // Every chart gets the same axes, so that polygons can be compared from chart to chart.
        List<RadarAxis> axes = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (RadarAxis axis : RadarAxis.values()) {
            List<String> lacking = new ArrayList<>();
            for (int i = 0; i < configurations.size(); i++) {
                if (!scores.get(i).containsKey(axis)) {
                    lacking.add(configurations.get(i).label());
                }
            }
            if (lacking.isEmpty()) {
                axes.add(axis);
            } else {
                String metrics = axis.baselineMetric() == null ? axis.metric()
                        : axis.metric() + " and " + axis.baselineMetric();
                leftOut.add(axis.label() + " (needs " + metrics + (lacking.size() == configurations.size()
                        ? ", which no job records)" : ", missing for " + String.join(", ", lacking) + ")"));
            }
        }
        if (!leftOut.isEmpty()) {
            note("Axes left out of the charts: " + String.join("; ", leftOut) + ".");
        }
        if (axes.size() < MIN_RADAR_AXES) {
            note("A radar chart needs at least " + MIN_RADAR_AXES + " axes and only "
                    + axes.stream().map(RadarAxis::label).collect(Collectors.joining(" and "))
                    + " can be scored here, so the charts are left out; the scores are in the table above.");
            return;
        }
        html.append("<div class=\"radars\">\n");
        for (int i = 0; i < configurations.size(); i++) {
            String label = configurations.get(i).label();
            html.append("<figure class=\"radar\">")
                    .append(Html.pngImage(ReportCharts.radar(label, i, axes, scores.get(i)), "radar chart of " + label))
                    .append("</figure>\n");
        }
        html.append("</div>\n");
    }

    private void scatter(List<ConfigurationResults> configurations) {
        html.append("<h3>Accuracy vs GFLOPs</h3>\n");
        List<ReportCharts.ScatterPoint> points = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        for (int i = 0; i < configurations.size(); i++) {
            ConfigurationResults configuration = configurations.get(i);
            OptionalDouble gflops = configuration.mean("student_gflops");
            double[] accuracy = Arrays.stream(configuration.values("best_top1")).map(value -> 100 * value).toArray();
            if (gflops.isEmpty() || accuracy.length == 0) {
                lacking.add(configuration.label());
                continue;
            }
            points.add(new ReportCharts.ScatterPoint(configuration.label(), i, gflops.getAsDouble(),
                    Arrays.stream(accuracy).average().orElseThrow(), SummaryTable.standardDeviation(accuracy)));
        }
        if (points.isEmpty()) {
            note("The scatter is left out: it needs student_gflops and best_top1, and no job records both.");
            return;
        }
        if (!lacking.isEmpty()) {
            note("Not in the scatter (no student_gflops or best_top1): " + String.join(", ", lacking) + ".");
        }
        ConfigurationResults everyJob = everyJob(configurations);
        OptionalDouble teacherGflops = everyJob.mean("teacher_gflops");
        OptionalDouble teacherAccuracy = everyJob.mean("teacher_top1");
        ReportCharts.ScatterPoint teacher = teacherGflops.isPresent() && teacherAccuracy.isPresent()
                ? new ReportCharts.ScatterPoint("teacher " + everyJob.jobs().get(0).spec().teacher(), -1,
                        teacherGflops.getAsDouble(), 100 * teacherAccuracy.getAsDouble(), 0)
                : null;
        html.append("<figure>").append(Html.pngImage(ReportCharts.accuracyVsGflops(points, teacher),
                "best top-1 against GFLOPs per configuration")).append("</figure>\n");
    }

    private void flowPlots(List<ConfigurationResults> configurations) {
        html.append("""
                <h3>Flow profiles</h3>
                <p>Per job: the flow profiles of teacher and student over normalised depth, and the per-depth \
                alignment error before and after training. Open a configuration to see its jobs.</p>
                """);
        for (int i = 0; i < configurations.size(); i++) {
            ConfigurationResults configuration = configurations.get(i);
            int count = configuration.jobs().size();
            html.append("<details>\n<summary>").append(swatch(i)).append(escape(configuration.label()))
                    .append(" (").append(count).append(count == 1 ? " job" : " jobs").append(")</summary>\n");
            for (JobResult job : configuration.jobs()) {
                html.append("<figure class=\"job-plots\">\n<figcaption>").append(escape(jobCaption(job)))
                        .append("</figcaption>\n");
                List<String> images = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                for (String file : List.of(FlowPlots.PROFILES_FILE, FlowPlots.ALIGNMENT_ERROR_FILE)) {
                    Path path = job.directory().resolve(file);
                    if (!Files.isRegularFile(path)) {
                        continue;
                    }
                    try {
                        byte[] png = Files.readAllBytes(path);
                        if (Html.isPng(png)) {
                            images.add(Html.pngImage(png, file + " of job " + job.spec().number()));
                        } else {
                            problems.add(path + " is not a PNG image");
                        }
                    } catch (IOException e) {
                        problems.add(path + " cannot be read: " + e.getMessage());
                    }
                }
                if (!images.isEmpty()) {
                    html.append("<div class=\"flow-plots\">").append(String.join("", images)).append("</div>\n");
                } else if (problems.isEmpty()) {
                    note("No flow plots in " + job.directory() + ": they are drawn only when teacher and student"
                            + " both declare at least two taps.");
                }
                problems.forEach(this::note);
                html.append("</figure>\n");
            }
            html.append("</details>\n");
        }
    }

    /** Every finished job of the experiment: the teacher was measured in each. */
    private static ConfigurationResults everyJob(List<ConfigurationResults> configurations) {
        return new ConfigurationResults("teacher",
                configurations.stream().flatMap(configuration -> configuration.jobs().stream()).toList());
    }

    private static String jobCaption(JobResult job) {
        StringBuilder caption = new StringBuilder("job ").append(job.spec().number())
                .append(", seed ").append(job.summary().seed());
        Map<String, Object> flow = job.summary().flow();
        if (flow.get("d_align_before") instanceof Number before
                && flow.get("d_align_after") instanceof Number after) {
            caption.append(String.format(Locale.ROOT, ", flow metric %s, D_align %.4f before, %.4f after training",
                    flow.get("metric"), before.doubleValue(), after.doubleValue()));
        }
        return caption.toString();
    }

    private void jobList(List<JobResult> jobs) {
        html.append("<h3>Jobs</h3>\n<div class=\"scroll\"><table class=\"jobs\">\n<thead><tr><th>job</th>"
                + "<th>configuration</th><th>seed</th><th>status</th><th>best top-1 (%)</th>"
                + "<th>final top-1 (%)</th><th>directory</th></tr></thead>\n<tbody>\n");
        for (JobResult job : jobs) {
            Object error = job.summary().error();
            html.append("<tr><td>").append(job.spec().number()).append("</td><td>")
                    .append(escape(SummaryTable.configurationLabel(job.spec()))).append("</td><td>")
                    .append(escape(String.valueOf(job.summary().seed()))).append("</td><td>")
                    .append(escape(job.summary().status()))
                    .append(error == null ? "" : "<div class=\"error\">" + escape(String.valueOf(error)) + "</div>")
                    .append("</td><td>").append(percent(job.metrics().get("best_top1")))
                    .append("</td><td>").append(percent(job.metrics().get("final_top1")))
                    .append("</td><td class=\"path\"><code>").append(escape(job.directory().toString()))
                    .append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n");
    }

    private static String percent(Object fraction) {
        return fraction instanceof Number number
                ? String.format(Locale.ROOT, "%.2f", 100 * number.doubleValue()) : MISSING;
    }

    /** A square of the configuration's chart colour, so the tables key the charts. */
    private static String swatch(int index) {
        java.awt.Color color = ReportCharts.color(index);
        return String.format(Locale.ROOT, "<span class=\"swatch\" style=\"background:#%02x%02x%02x\"></span>",
                color.getRed(), color.getGreen(), color.getBlue());
    }

    private void note(String text) {
        html.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    }

    /**
     * One column at most 1200 px wide, so it reads the same on a 1280 px screen and wider ones;
     * images shrink to fit; wide tables scroll inside their box rather than widening the page.
     */
    private static final String STYLE = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f3f4f6; color: #1f2328;
                   font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; background: #fff;
                   box-sizing: border-box; }
            h1 { font-size: 1.75rem; margin: 0 0 4px; }
            h2 { font-size: 1.35rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d0d7de; }
            h3 { font-size: 1.1rem; margin: 24px 0 6px; }
            p { margin: 6px 0; max-width: 75em; }
            .meta { color: #57606a; }
            code { font: 0.9em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
            .note { background: #fff8e1; border-left: 4px solid #e3a008; padding: 6px 10px; color: #5c4400; }
            .scroll { overflow-x: auto; margin: 8px 0; }
            table { border-collapse: collapse; font-size: 0.86rem; font-variant-numeric: tabular-nums; }
            th, td { padding: 4px 7px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap;
                     vertical-align: top; }
            th { background: #f6f8fa; font-weight: 600; border-bottom: 2px solid #d0d7de; vertical-align: bottom; }
            th .unit { font-weight: 400; color: #57606a; }
            th:first-child, td:first-child, .results :is(th, td):nth-child(2),
            .jobs :is(th, td):is(:nth-child(2), :nth-child(4), :nth-child(7)) { text-align: left; }
            tr.teacher td { background: #f6f8fa; font-style: italic; }
            .partial { color: #8c959f; }
            .interval { font-size: 0.9em; color: #57606a; }
            .error { color: #b42318; white-space: normal; max-width: 40em; }
            .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 6px; border-radius: 2px;
                      vertical-align: baseline; }
            img { display: block; max-width: 100%; height: auto; }
            figure { margin: 8px 0; }
            figcaption { font-size: 0.9rem; color: #57606a; margin-bottom: 4px; }
            .radars { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
            .radar img { margin: 0 auto; border: 1px solid #e5e7eb; }
            .flow-plots img { border: 1px solid #e5e7eb; margin-bottom: 8px; }
            details { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
            summary { cursor: pointer; font-weight: 600; }
            """;
}
