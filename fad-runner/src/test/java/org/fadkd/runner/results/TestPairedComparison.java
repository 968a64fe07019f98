package org.fadkd.runner.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.runner.job.TestingJobSummaries;
import org.fadkd.runner.results.PairedComparison.Difference;
import org.junit.jupiter.api.Test;

final class TestPairedComparison {
    private static final double EPSILON = 1e-6;

    /** A job of the method with these overrides (besides its seed) and final top-1. */
    private static JobResult job(String method, int seed, double finalTop1, String status, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("seed=" + seed);
        JobSpec spec = new JobSpec("study", 0, all, ConfigFactory.parseString(
                "method.type = " + method + ", student.type = cnn, teacher.type = resnet, seed = " + seed));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("final_top1", finalTop1);
        metrics.put("best_top1", finalTop1 + 0.001 * seed);
        return new JobResult(spec, Path.of("/tmp/job"), TestingJobSummaries.of(spec, status, metrics), false);
    }

    private static PairedComparison compare(JobResult... jobs) {
        return PairedComparison.of(SummaryTable.groupByConfiguration(List.of(jobs)));
    }

    @Test
    void testThreePairsAgainstHandComputedValues() {
        // differences 0.01, 0.02, 0.00: mean 0.01, sample sd sqrt((0 + 1e-4 + 1e-4) / 2) = 0.01,
        // t(0.975, 2) = 4.302653, half-width 4.302653 · 0.01 / √3 = 0.0248414
        Difference difference = Difference.of(new double[] {0.01, 0.02, 0.00});

        assertThat(difference.n()).isEqualTo(3);
        assertThat(difference.mean()).isCloseTo(0.01, within(EPSILON));
        assertThat(difference.standardDeviation()).isCloseTo(0.01, within(EPSILON));
        assertThat(difference.lower()).isCloseTo(-0.0148414, within(EPSILON));
        assertThat(difference.upper()).isCloseTo(0.0348414, within(EPSILON));
        assertThat(difference.excludesZero()).isFalse();
        assertThat(difference.toText(1, 4)).isEqualTo("+0.0100 [\u22120.0148, +0.0348] n=3");
    }

    @Test
    void testTwoPairsUseOneDegreeOfFreedom() {
        // 0.02, 0.04: mean 0.03, sd 0.0141421, t(0.975, 1) = 12.706205, half-width 12.706205 · 0.0141421 / √2 = 0.127062
        Difference difference = Difference.of(new double[] {0.02, 0.04});

        assertThat(difference.lower()).isCloseTo(-0.0970620, within(EPSILON));
        assertThat(difference.upper()).isCloseTo(0.1570620, within(EPSILON));
        assertThat(difference.excludesZero()).isFalse();
    }

    @Test
    void testAnIntervalAboveOrBelowZeroIsMarked() {
        // 0.010, 0.012, 0.011: mean 0.011, sd 0.001, half-width 4.302653 · 0.001 / √3 = 0.00248414
        Difference ahead = Difference.of(new double[] {0.010, 0.012, 0.011});
        Difference behind = Difference.of(new double[] {-0.010, -0.012, -0.011});

        assertThat(ahead.lower()).isCloseTo(0.00851586, within(EPSILON));
        assertThat(ahead.upper()).isCloseTo(0.01348414, within(EPSILON));
        assertThat(ahead.excludesZero()).isTrue();
        assertThat(ahead.toText(1, 4)).isEqualTo("+0.0110 [+0.0085, +0.0135] n=3 *");
        assertThat(behind.excludesZero()).isTrue();
        assertThat(behind.toText(100, 2)).isEqualTo("\u22121.10 [\u22121.35, \u22120.85] n=3 *");
    }

    @Test
    void testOnePairHasNoIntervalAndNoPairNothing() {
        Difference one = Difference.of(new double[] {0.01});
        Difference none = Difference.of(new double[0]);

        assertThat(one.hasInterval()).isFalse();
        assertThat(one.excludesZero()).isFalse();
        assertThat(one.standardDeviation()).isNaN();
        assertThat(one.toText(1, 4)).isEqualTo("+0.0100 n=1");
        assertThat(none.n()).isZero();
        assertThat(none.mean()).isNaN();
        assertThat(none.toText(1, 4)).isEqualTo("no common seed");
    }

    @Test
    void testJobsArePairedBySeedOverTheSeedsBothFinished() {
        PairedComparison comparison = compare(
                job("none", 1, 0.80, "FINISHED", "method=none"),
                job("none", 2, 0.82, "FINISHED", "method=none"),
                job("none", 3, 0.81, "FINISHED", "method=none"),
                job("kd", 2, 0.84, "FINISHED", "method=kd"),
                job("kd", 1, 0.81, "FINISHED", "method=kd"),
                job("kd", 3, 0.10, "FAILED", "method=kd"),
                job("kd", 4, 0.90, "FINISHED", "method=kd"));

        // seed 1: 0.81 − 0.80, seed 2: 0.84 − 0.82; seed 3 failed for kd, seed 4 has no baseline
        Difference difference = comparison.difference("method=kd", "final_top1").orElseThrow();
        assertThat(difference.n()).isEqualTo(2);
        assertThat(difference.mean()).isCloseTo(0.015, within(EPSILON));
        assertThat(difference.standardDeviation()).isCloseTo(0.00707107, within(EPSILON));
        // best_top1 is final_top1 + 0.001 · seed in both, so the same pairs give the same differences
        assertThat(comparison.difference("method=kd", "best_top1").orElseThrow().mean()).isCloseTo(0.015, within(EPSILON));
        assertThat(comparison.baselineOf("method=kd")).contains("method=none");
        assertThat(comparison.isBaseline("method=none")).isTrue();
        assertThat(comparison.isBaseline("method=kd")).isFalse();
        assertThat(comparison.difference("method=none", "final_top1").orElseThrow().mean()).isZero();
    }

    @Test
    void testAMetricSomeJobsLackIsPairedWhereBothHaveIt() {
        PairedComparison comparison = compare(job("none", 1, 0.80, "FINISHED", "method=none"),
                job("kd", 1, 0.81, "FINISHED", "method=kd"));

        assertThat(comparison.difference("method=kd", "student_latency_ms").orElseThrow().n()).isZero();
    }

    @Test
    void testTheBaselineHasTheSameOtherOverrides() {
        PairedComparison comparison = compare(
                job("none", 1, 0.80, "FINISHED", "method=none", "trainer=standard"),
                job("none", 1, 0.70, "FINISHED", "method=none", "trainer=staged"),
                job("kd", 1, 0.85, "FINISHED", "method=kd", "trainer=staged"),
                job("kd", 1, 0.86, "FINISHED", "method=kd", "trainer=standard", "method.temperature=2"),
                job("kd", 1, 0.86, "FINISHED", "method=kd", "trainer=assistant"));

        assertThat(comparison.baselineOf("method=kd trainer=staged")).contains("method=none trainer=staged");
        assertThat(comparison.difference("method=kd trainer=staged", "final_top1").orElseThrow().mean())
                .isCloseTo(0.15, within(EPSILON));
        // the method's own settings are not settings the student alone could share
        assertThat(comparison.baselineOf("method=kd trainer=standard method.temperature=2"))
                .contains("method=none trainer=standard");
        assertThat(comparison.baselineOf("method=kd trainer=assistant")).isEmpty();
        assertThat(comparison.difference("method=kd trainer=assistant", "final_top1")).isEmpty();
        assertThat(comparison.hasBaseline()).isTrue();
    }

    @Test
    void testAMethodFromTheExperimentsDefaultsIsComparedWithMethodNoneOnTheCommandLine() {
        // pooled runs: the experiment's own method (no override) and the same experiment with method=none
        PairedComparison comparison = compare(job("kd", 1, 0.85, "FINISHED"),
                job("none", 1, 0.80, "FINISHED", "method=none"));

        assertThat(comparison.baselineOf("kd")).contains("method=none");
    }

    @Test
    void testASeedRunTwiceCountsOnceWithItsMean() {
        PairedComparison comparison = compare(job("none", 1, 0.80, "FINISHED", "method=none"),
                job("kd", 1, 0.82, "FINISHED", "method=kd"),
                job("kd", 1, 0.84, "FINISHED", "method=kd"));

        Difference difference = comparison.difference("method=kd", "final_top1").orElseThrow();
        assertThat(difference.n()).isEqualTo(1);
        assertThat(difference.mean()).isCloseTo(0.03, within(EPSILON));
    }

    @Test
    void testWithoutMethodNoneNothingHasABaseline() {
        PairedComparison comparison = compare(job("kd", 1, 0.85, "FINISHED", "method=kd"),
                job("fad", 1, 0.86, "FINISHED", "method=fad"));

        assertThat(comparison.hasBaseline()).isFalse();
        assertThat(comparison.difference("method=kd", "final_top1")).isEmpty();
        assertThatThrownBy(() -> comparison.difference("method=at", "final_top1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no configuration 'method=at'");
    }

    @Test
    void testSignedUsesATrueMinus() {
        assertThat(PairedComparison.signed(0.0069, 4)).isEqualTo("+0.0069");
        assertThat(PairedComparison.signed(-0.0021, 4)).isEqualTo("\u22120.0021");
    }
}
