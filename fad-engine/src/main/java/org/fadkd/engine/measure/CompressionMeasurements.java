package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a compression bought (fad-spec §13): the figures of the teacher (the baseline) and of the
 * exported student, measured in one environment, the wall clock the compression took, and their
 * ratios.
 *
 * <p>Every ratio is oriented so that above 1 means the student is better: teacher over student for
 * parameters, GFLOPs, size and latency (a speed-up), student over teacher for throughput. The
 * parameter ratio keeps the name {@code compression_ratio} that {@code summary.json} has always
 * used for it.
 *
 * @param teacher the teacher's figures
 * @param student the exported student's figures
 * @param compressionSeconds {@code compression_time_s}: wall clock from the start of student
 *     selection (or of distillation without selection) to the end of distillation, teacher
 *     training and the final measurements excluded
 * @param environment where both were timed
 * @since 0.1
 */
public record CompressionMeasurements(
        ModelMeasurements teacher,
        ModelMeasurements student,
        double compressionSeconds,
        MeasurementEnvironment environment) {
    public CompressionMeasurements {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        requireNonNull(environment, "environment is null");
    }

    /** Teacher parameters over student parameters. */
    public double compressionRatio() {
        return (double) teacher.parameters() / student.parameters();
    }

    /** Teacher MACs over student MACs; NaN when either is unknown. */
    public double gflopsRatio() {
        return teacher.hasKnownMultiplyAccumulates() && student.hasKnownMultiplyAccumulates()
                ? (double) teacher.multiplyAccumulates() / student.multiplyAccumulates() : Double.NaN;
    }

    /** Teacher weight bytes over student weight bytes. */
    public double sizeRatio() {
        return (double) teacher.weightBytes() / student.weightBytes();
    }

    /** Teacher median latency over student median latency. */
    public double speedup() {
        return teacher.latency().medianMilliseconds() / student.latency().medianMilliseconds();
    }

    /** Student throughput over teacher throughput. */
    public double throughputRatio() {
        return student.throughput().samplesPerSecond() / teacher.throughput().samplesPerSecond();
    }

    /**
     * Returns the entries of {@code summary.json}'s {@code metrics} (and of the tracked summary
     * metrics): for {@code teacher_} and {@code student_}, {@code params}, {@code gflops}, {@code
     * size_mb}, {@code latency_ms}, {@code latency_p90_ms} and {@code throughput}; then {@code
     * compression_time_s}, the ratios {@code compression_ratio}, {@code gflops_ratio}, {@code
     * size_ratio}, {@code speedup}, {@code throughput_ratio}, and {@code measure_threads}. Counts
     * are {@link Long}s, everything else {@link Double}s. A network whose MACs are unknown (a
     * TorchScript module) has no {@code gflops} entry, and then there is no {@code gflops_ratio}.
     *
     * @return a new map in that order
     */
    public Map<String, Number> toMetrics() {
        Map<String, Number> metrics = new LinkedHashMap<>();
        putModel(metrics, "teacher_", teacher);
        putModel(metrics, "student_", student);
        metrics.put("compression_time_s", compressionSeconds);
        metrics.put("compression_ratio", compressionRatio());
        if (!Double.isNaN(gflopsRatio())) {
            metrics.put("gflops_ratio", gflopsRatio());
        }
        metrics.put("size_ratio", sizeRatio());
        metrics.put("speedup", speedup());
        metrics.put("throughput_ratio", throughputRatio());
        metrics.put("measure_threads", (long) environment.threads());
        return metrics;
    }

    private static void putModel(Map<String, Number> metrics, String prefix, ModelMeasurements model) {
        metrics.put(prefix + "params", model.parameters());
        if (model.hasKnownMultiplyAccumulates()) {
            metrics.put(prefix + "gflops", model.gflops());
        }
        metrics.put(prefix + "size_mb", model.sizeMegabytes());
        metrics.put(prefix + "latency_ms", model.latency().medianMilliseconds());
        metrics.put(prefix + "latency_p90_ms", model.latency().p90Milliseconds());
        metrics.put(prefix + "throughput", model.throughput().samplesPerSecond());
    }
}
