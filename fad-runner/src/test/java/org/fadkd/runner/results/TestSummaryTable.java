package org.fadkd.runner.results;

import org.fadkd.runner.job.TestingJobSummaries;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.job.JobSummary;
import org.junit.jupiter.api.Test;

final class TestSummaryTable {
    private static JobResult result(int number, String method, int seed, double best, double finalTop1, String status) {
        JobSpec spec = new JobSpec("study", number, List.of("seed=" + seed, "method=" + method),
                ConfigFactory.parseString("method.type = " + method + ", student.type = cnn, teacher.type = resnet,"
                        + " seed = " + seed));
        JobSummary summary = TestingJobSummaries.of(spec, status,
                Map.of("best_top1", best, "final_top1", finalTop1, "student_params", 24058, "wall_time_s", 100.0),
                Map.of("d_align_after", 0.1 * seed));
        return new JobResult(spec, Path.of("/tmp/job" + number), summary, true);
    }

    @Test
    void testMeanAndSampleStandardDeviationPerMethodWithThePairedDifferenceToTheBaseline() {
        List<JobResult> results = new ArrayList<>();
        results.add(result(0, "none", 1, 0.80, 0.79, "FINISHED"));
        results.add(result(1, "none", 2, 0.82, 0.81, "FINISHED"));
        results.add(result(2, "none", 3, 0.81, 0.80, "FINISHED"));
        results.add(result(3, "kd", 1, 0.85, 0.84, "FINISHED"));
        results.add(result(4, "kd", 2, 0.87, 0.85, "FINISHED"));
        results.add(result(5, "kd", 3, 0.86, 0.82, "FINISHED"));
        results.add(result(6, "kd", 4, 0.0, 0.0, "FAILED"));
        results.add(result(7, "fad", 1, 0.84, 0.83, "FINISHED"));
        results.add(result(8, "fad", 2, 0.86, 0.86, "FINISHED"));
        results.add(result(9, "fad", 3, 0.85, 0.84, "FINISHED"));
        results.add(result(10, "at", 1, 0.71, 0.70, "FINISHED"));
        results.add(result(11, "at", 5, 0.73, 0.72, "FINISHED"));

        String table = SummaryTable.renderGroups(results);

        // none: best 0.80, 0.82, 0.81 → 0.8100 ± 0.0100; D_align 0.1·seed → 0.2000 ± 0.1000.
        // kd final minus none's, seed by seed: 0.05, 0.04, 0.02 (seed 4 failed): mean 0.0367, sd 0.015275,
        //   half-width t(0.975, 2) · sd / √3 = 4.302653 · 0.015275 / 1.732051 = 0.037946 → [−0.0013, +0.0746].
        // fad: 0.04, 0.05, 0.04: mean 0.0433, sd 0.0057735, half-width 0.0143422 → [+0.0290, +0.0577], above zero.
        // at: only seed 1 in common with none: 0.70 − 0.79, no interval.
        assertThat(table).isEqualTo("""

                Mean ± standard deviation over seeds:
                configuration                model       n         best top1        final top1     D_align after \
                    params   wall s  vs none (95% CI)
                method=none                  cnn         3   0.8100 ± 0.0100   0.8000 ± 0.0100   0.2000 ± 0.1000 \
                    24,058      100  baseline
                method=kd                    cnn         3   0.8600 ± 0.0100   0.8367 ± 0.0153   0.2000 ± 0.1000 \
                    24,058      100  +0.0367 [\u22120.0013, +0.0746] n=3
                method=fad                   cnn         3   0.8500 ± 0.0100   0.8433 ± 0.0153   0.2000 ± 0.1000 \
                    24,058      100  +0.0433 [+0.0290, +0.0577] n=3 *
                method=at                    cnn         2   0.7200 ± 0.0141   0.7100 ± 0.0141   0.3000 ± 0.2828 \
                    24,058      100  \u22120.0900 n=1
                vs none (95% CI): final top-1 minus the student alone's (method=none, the other overrides the same), \
                paired by seed;
                  mean [95% t-interval] n=seeds paired; * the interval excludes zero, a difference beyond seed-to-seed \
                noise; n=1 has no interval.
                """);
    }

    @Test
    void testWithoutTheStudentAloneTheTableSaysThereIsNoBaseline() {
        String table = SummaryTable.renderGroups(List.of(result(0, "kd", 1, 0.85, 0.84, "FINISHED"),
                result(1, "kd", 2, 0.87, 0.86, "FINISHED")));

        assertThat(table).contains("No baseline in this sweep: add method=none to compare.").doesNotContain("vs none");
        assertThat(table).containsPattern("method=kd +cnn +2 +0\\.8600 ± 0\\.0141 +0\\.8500 ± 0\\.0141"
                + " +0\\.1500 ± 0\\.0707 +24,058 +100\n");
    }

    @Test
    void testTeacherAndStudentRowsShowTheCompressionMeasurements() {
        JobSpec spec = result(0, "kd", 1, 0, 0, "FINISHED").spec();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("teacher_top1", 0.92);
        metrics.put("teacher_cached", true);
        metrics.put("teacher_training_s", 0.0);
        metrics.put("best_top1", 0.85);
        metrics.put("final_top1", 0.84);
        metrics.put("wall_time_s", 100.0);
        metrics.put("teacher_params", 309_162L);
        metrics.put("teacher_gflops", 0.0412);
        metrics.put("teacher_size_mb", 1.184);
        metrics.put("teacher_latency_ms", 4.0);
        metrics.put("student_params", 24_058L);
        metrics.put("student_gflops", 0.00113);
        metrics.put("student_size_mb", 0.0925);
        metrics.put("student_latency_ms", 0.5);
        metrics.put("compression_ratio", 12.85);
        metrics.put("speedup", 8.0);
        JobResult measured = new JobResult(spec, Path.of("/tmp/job0"),
                TestingJobSummaries.of(spec, "FINISHED", metrics), true);
        // A job that failed before its measurements: no figures, and no error either.
        JobSpec failedSpec = result(1, "fad", 1, 0, 0, "FAILED").spec();
        JobResult failed = new JobResult(failedSpec, Path.of("/tmp/job1"),
                TestingJobSummaries.of(failedSpec, "FAILED", Map.of("teacher_top1", 0.92)), true);

        String table = SummaryTable.render(List.of(measured, failed));

        assertThat(table).containsPattern(
                "job +method +model +status +best top1 +final top1 +params +compression +GFLOPs +size MB +latency ms"
                        + " +speed-up +wall s");
        assertThat(table).containsPattern(
                "- +teacher +resnet +cached +0\\.9200 +309,162 +1\\.0x +0\\.0412 +1\\.18 +4\\.00 +1\\.0x +0\n");
        assertThat(table).containsPattern(
                "0 +kd +cnn +FINISHED +0\\.8500 +0\\.8400 +24,058 +12\\.9x +0\\.0011 +0\\.09 +0\\.50 +8\\.0x +100\n");
        assertThat(table).containsPattern("1 +fad +cnn +FAILED( +-){9}\n");
    }

    @Test
    void testNoGroupTableWithoutRepeatedConfigurations() {
        assertThat(SummaryTable.renderGroups(List.of(result(0, "kd", 1, 0.8, 0.8, "FINISHED"),
                result(1, "fad", 1, 0.8, 0.8, "FINISHED")))).isEmpty();
    }

    @Test
    void testConfigurationLabelDropsOnlyTheSeed() {
        assertThat(SummaryTable.configurationLabel(result(0, "kd", 1, 0, 0, "FINISHED").spec())).isEqualTo("method=kd");
    }

    @Test
    void testConfigurationLabelLeavesOutWhereTheJobIsWrittenAndLogged() {
        JobSpec spec = new JobSpec("study", 0, List.of("method=kd", "trainer=staged", "seed=2", "sweep.dir=out/x",
                "run.dir=out/y", "tracking.uri=http://127.0.0.1:5000"), ConfigFactory.parseString("method.type = kd"));
        assertThat(SummaryTable.configurationLabel(spec)).isEqualTo("method=kd trainer=staged");
    }
}
