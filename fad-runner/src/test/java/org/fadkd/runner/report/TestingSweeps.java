package org.fadkd.runner.report;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.report.FlowPlots;
import org.fadkd.engine.report.FlowReport;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;

/** Job results and sweep directories as the runner writes them, with chosen metrics. */
final class TestingSweeps {

    private TestingSweeps() {}

    /** A configuration of in-memory finished jobs, one per metrics map. */
    @SafeVarargs
    static ConfigurationResults configuration(String label, Map<String, Object>... metricsPerJob) {
        List<JobResult> jobs = new ArrayList<>();
        for (int seed = 1; seed <= metricsPerJob.length; seed++) {
            JobSpec spec = new JobSpec("study", seed - 1, List.of(label, "seed=" + seed), ConfigFactory.parseString(
                    "method.type = x, student.type = cnn, teacher.type = resnet, seed = " + seed));
            jobs.add(new JobResult(spec, Path.of("/nonexistent"),
                    org.fadkd.runner.job.TestingJobSummaries.of(spec, "FINISHED", metricsPerJob[seed - 1]), false));
        }
        return new ConfigurationResults(label, jobs);
    }

    /**
     * Writes job directory {@code sweep/<number>/} as a finished (or failed) job writes it:
     * config.conf, overrides.txt, summary.json with {@code metrics}, and the two flow plots.
     */
    static Path writeJob(Path sweep, int number, String method, int seed, String status, Map<String, Object> metrics,
            String... moreOverrides) throws IOException {
        Path job = sweep.resolve(Integer.toString(number));
        Files.createDirectories(job);
        Files.writeString(job.resolve("config.conf"), """
                method { type = "%s" }
                teacher { type = resnet }
                student { type = cnn }
                seed = %d
                """.formatted(method, seed));
        List<String> overrides = new ArrayList<>(List.of("method=" + method));
        overrides.addAll(List.of(moreOverrides));
        overrides.add("seed=" + seed);
        Files.writeString(job.resolve("overrides.txt"), String.join("\n", overrides) + "\n");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", "tiny_study");
        summary.put("job", number);
        summary.put("method", method);
        summary.put("teacher", "resnet");
        summary.put("student", "cnn");
        summary.put("seed", seed);
        summary.put("status", status);
        if (!"FINISHED".equals(status)) {
            summary.put("error", "Training diverged <at epoch 2> & stopped");
        }
        summary.put("metrics", metrics);
        summary.put("flow", Map.of("metric", "cka", "d_align_before", 0.15, "d_align_after", 0.1));
        Json.MAPPER.writeValue(job.resolve("summary.json").toFile(), summary);
        FlowPlots.write(new FlowReport("cka", new double[] {0.11, 0.03, 0.10}, new double[] {0.02, 0.01},
                new double[] {0.04, 0.06}, 0.15, 0.1), job);
        return job;
    }

    /** The metrics every job has had since the first release: accuracy and parameter counts. */
    static Map<String, Object> basicMetrics(double bestTop1, double finalTop1) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("teacher_top1", 0.92);
        metrics.put("teacher_params", 309_162);
        metrics.put("best_top1", bestTop1);
        metrics.put("final_top1", finalTop1);
        metrics.put("student_params", 24_058);
        metrics.put("compression_ratio", 12.85);
        return metrics;
    }

    /** The basic metrics plus the compression measurements (CompressionMeasurements#toMetrics names). */
    static Map<String, Object> fullMetrics(double bestTop1, double finalTop1, double latencyMs,
            double compressionSeconds) {
        Map<String, Object> metrics = basicMetrics(bestTop1, finalTop1);
        metrics.put("teacher_gflops", 0.0412);
        metrics.put("teacher_size_mb", 1.19);
        metrics.put("teacher_latency_ms", 2.4);
        metrics.put("teacher_latency_p90_ms", 2.9);
        metrics.put("teacher_throughput", 1800.0);
        metrics.put("student_gflops", 0.00413);
        metrics.put("student_size_mb", 0.0952);
        metrics.put("student_latency_ms", latencyMs);
        metrics.put("student_latency_p90_ms", 0.7);
        metrics.put("student_throughput", 21000.0);
        metrics.put("compression_time_s", compressionSeconds);
        return metrics;
    }
}
