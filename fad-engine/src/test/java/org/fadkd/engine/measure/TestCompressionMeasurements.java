package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestCompressionMeasurements {
    private static final long MEBIBYTE = 1L << 20;

    @Test
    void testMetricsCarryTheSummaryNamesAndRatiosFavourTheStudentAboveOne() {
        // fad-spec §13's radar example: 11.2 M params, 1.82 GFLOPs, 12 ms against 1.4 M, 0.23 G, 3 ms.
        ModelMeasurements teacher = new ModelMeasurements(11_200_000, 1_820_000_000L, 44 * MEBIBYTE,
                new Latency(12.0, 13.0, 100), new Throughput(800, 64, 50, 4.0));
        ModelMeasurements student = new ModelMeasurements(1_400_000, 230_000_000L, 11 * MEBIBYTE / 2,
                new Latency(3.0, 3.5, 100), new Throughput(3200, 64, 200, 4.0));
        CompressionMeasurements measurements = new CompressionMeasurements(teacher, student, 1800.0,
                new MeasurementEnvironment("PyTorch 2.7.1", "cpu()", 2));

        Map<String, Number> metrics = measurements.toMetrics();

        assertThat(metrics.keySet()).containsExactly(
                "teacher_params", "teacher_gflops", "teacher_size_mb", "teacher_latency_ms", "teacher_latency_p90_ms",
                "teacher_throughput",
                "student_params", "student_gflops", "student_size_mb", "student_latency_ms", "student_latency_p90_ms",
                "student_throughput",
                "compression_time_s", "compression_ratio", "gflops_ratio", "size_ratio", "speedup", "throughput_ratio",
                "measure_threads");
        assertThat(metrics.get("teacher_params")).isEqualTo(11_200_000L);
        assertThat(metrics.get("student_params")).isEqualTo(1_400_000L);
        assertThat(metrics.get("teacher_gflops").doubleValue()).isCloseTo(1.82, within(1e-12));
        assertThat(metrics.get("student_size_mb").doubleValue()).isEqualTo(5.5);
        assertThat(metrics.get("student_latency_ms")).isEqualTo(3.0);
        assertThat(metrics.get("student_latency_p90_ms")).isEqualTo(3.5);
        assertThat(metrics.get("student_throughput")).isEqualTo(3200.0);
        assertThat(metrics.get("compression_time_s")).isEqualTo(1800.0);
        assertThat(metrics.get("compression_ratio")).isEqualTo(8.0);
        assertThat(metrics.get("gflops_ratio").doubleValue()).isCloseTo(1.82 / 0.23, within(1e-12));
        assertThat(metrics.get("size_ratio")).isEqualTo(8.0);
        assertThat(metrics.get("speedup")).isEqualTo(4.0);
        assertThat(metrics.get("throughput_ratio")).isEqualTo(4.0);
        assertThat(metrics.get("measure_threads")).isEqualTo(2L);
    }

    @Test
    void testATeacherWhoseMultiplyAccumulatesAreUnknownHasNoGflopsAndNoRatio() {
        // a TorchScript teacher: its graph is opaque to the JVM
        ModelMeasurements teacher = new ModelMeasurements(11_200_000, org.fadkd.api.block.MacCounted.UNKNOWN,
                44 * MEBIBYTE, new Latency(12.0, 13.0, 100), new Throughput(800, 64, 50, 4.0));
        ModelMeasurements student = new ModelMeasurements(1_400_000, 230_000_000L, 11 * MEBIBYTE / 2,
                new Latency(3.0, 3.5, 100), new Throughput(3200, 64, 200, 4.0));
        Map<String, Number> metrics = new CompressionMeasurements(teacher, student, 1800.0,
                new MeasurementEnvironment("PyTorch 2.7.1", "cpu()", 2)).toMetrics();

        assertThat(teacher.gflops()).isNaN();
        assertThat(metrics).doesNotContainKeys("teacher_gflops", "gflops_ratio");
        assertThat(metrics.get("student_gflops").doubleValue()).isCloseTo(0.23, within(1e-12));
        assertThat(metrics.get("compression_ratio")).isEqualTo(8.0);
    }

    @Test
    void testTheEnvironmentNamesTheEngineDeviceAndThreads() {
        MeasurementEnvironment environment = MeasurementEnvironment.of(Device.cpu());
        assertThat(environment.engine()).startsWith("PyTorch ");
        assertThat(environment.device()).isEqualTo("cpu()");
        // PyTorch's own count, read through its JNI class; 0 would mean the lookup failed.
        assertThat(environment.threads()).isPositive();
    }
}
