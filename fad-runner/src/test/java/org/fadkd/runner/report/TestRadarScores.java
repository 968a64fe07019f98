package org.fadkd.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

final class TestRadarScores {
    private static final Offset<Double> EXACT = within(1e-8);

    /** fad-spec §13's worked example, formula by formula. */
    @Test
    void testTheSpecsWorkedExample() {
        assertThat(RadarScores.accuracy(91.5)).isCloseTo(91.5, EXACT);
        assertThat(RadarScores.compressionTime(1800, 3000)).isCloseTo(40, EXACT);
        assertThat(RadarScores.latency(3.0, 12)).isCloseTo(75, EXACT);
        assertThat(RadarScores.reduction(5.6, 44.7)).isCloseTo(87.47203579, EXACT);
        assertThat(RadarScores.reduction(0.23, 1.82)).isCloseTo(87.36263736, EXACT);
        assertThat(RadarScores.reduction(1.4, 11.2)).isCloseTo(87.5, EXACT);
    }

    /** The same example from summary.json metrics, the slowest time coming from a second configuration. */
    @Test
    void testTheWorkedExampleFromJobSummaries() {
        ConfigurationResults method = TestingSweeps.configuration("method=fad", Map.of(
                "best_top1", 0.915, "compression_time_s", 1800.0,
                "student_latency_ms", 3.0, "teacher_latency_ms", 12.0,
                "student_size_mb", 5.6, "teacher_size_mb", 44.7,
                "student_gflops", 0.23, "teacher_gflops", 1.82,
                "student_params", 1_400_000L, "teacher_params", 11_200_000L));
        ConfigurationResults slowest = TestingSweeps.configuration("method=crd",
                Map.of("best_top1", 0.9, "compression_time_s", 3000.0));

        List<Map<RadarAxis, Double>> scores = RadarScores.score(List.of(method, slowest));

        Map<RadarAxis, Double> fad = scores.get(0);
        assertThat(fad.keySet()).containsExactly(RadarAxis.values());
        assertThat(fad.get(RadarAxis.ACCURACY)).isCloseTo(91.5, EXACT);
        assertThat(fad.get(RadarAxis.COMPRESSION_TIME)).isCloseTo(40, EXACT);
        assertThat(fad.get(RadarAxis.LATENCY)).isCloseTo(75, EXACT);
        assertThat(fad.get(RadarAxis.SIZE)).isCloseTo(87.47203579, EXACT);
        assertThat(fad.get(RadarAxis.GFLOPS)).isCloseTo(87.36263736, EXACT);
        assertThat(fad.get(RadarAxis.PARAMS)).isCloseTo(87.5, EXACT);
        // The slowest scores 0 on time; what it did not record is not scored at all.
        assertThat(scores.get(1)).containsOnlyKeys(RadarAxis.ACCURACY, RadarAxis.COMPRESSION_TIME);
        assertThat(scores.get(1).get(RadarAxis.COMPRESSION_TIME)).isZero();
    }

    @Test
    void testScoresAreClampedToZeroToHundred() {
        // a student slower or larger than its teacher scores 0, not below
        assertThat(RadarScores.latency(15, 12)).isZero();
        assertThat(RadarScores.reduction(50, 44.7)).isZero();
        assertThat(RadarScores.accuracy(104)).isEqualTo(100);
        assertThat(RadarScores.accuracy(-1)).isZero();
        assertThat(RadarScores.reduction(0, 44.7)).isEqualTo(100);
    }

    @Test
    void testMeansOverSeedsAreScoredAgainstTheirOwnTeacherMeasurement() {
        // latency 2 and 4 ms (mean 3) against a teacher timed at 11 and 13 ms (mean 12): 75
        ConfigurationResults twoSeeds = TestingSweeps.configuration("method=kd",
                Map.of("student_latency_ms", 2.0, "teacher_latency_ms", 11.0),
                Map.of("student_latency_ms", 4.0, "teacher_latency_ms", 13.0));

        assertThat(RadarScores.score(List.of(twoSeeds)).get(0).get(RadarAxis.LATENCY)).isCloseTo(75, EXACT);
    }
}
