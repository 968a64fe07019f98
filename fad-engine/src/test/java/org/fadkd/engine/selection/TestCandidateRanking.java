package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fadkd.engine.measure.Latency;
import org.junit.jupiter.api.Test;

final class TestCandidateRanking {
    private static CandidateResult scored(String name, double score, long macs, long params) {
        return new CandidateResult(name, new CandidateMeasurement(params, macs, new Latency(1, 1, 1)), List.of(),
                new double[] {0.1, 0.2}, new FlowAnalysis(0, 1, 0, 0.5), null, score, null);
    }

    private static CandidateResult dropped(String name) {
        return CandidateResult.measured(name, new CandidateMeasurement(10, 10, new Latency(1, 1, 1)),
                List.of("params 10 > max-params 5"));
    }

    private static List<String> names(List<CandidateResult> results) {
        return results.stream().map(result -> result.name() + "#" + result.rank()).toList();
    }

    @Test
    void testHigherScoreFirst() {
        assertThat(names(CandidateRanking.rank(List.of(
                scored("low", 0.5, 1, 1), scored("high", 0.9, 100, 100), scored("middle", 0.7, 10, 10)))))
                .containsExactly("high#1", "middle#2", "low#3");
    }

    @Test
    void testTiesByFewerGflopsThenFewerParamsThenName() {
        List<CandidateResult> tied = List.of(
                scored("e", 0.8, 200, 10),
                scored("d", 0.8, 100, 30),
                scored("c", 0.8, 100, 20),
                scored("b", 0.8, 100, 20),
                scored("a", 0.7, 1, 1));

        assertThat(names(CandidateRanking.rank(tied))).containsExactly("b#1", "c#2", "d#3", "e#4", "a#5");
    }

    @Test
    void testDroppedCandidatesFollowUnrankedInTheirOrder() {
        List<CandidateResult> ranked = CandidateRanking.rank(List.of(
                dropped("z"), scored("x", 0.1, 1, 1), dropped("y"), scored("w", 0.2, 1, 1)));

        assertThat(names(ranked)).containsExactly("w#1", "x#2", "z#null", "y#null");
        assertThat(ranked.get(2).score()).isNull();
        assertThat(ranked.get(2).reason()).isEqualTo("params 10 > max-params 5");
    }

    @Test
    void testFeasibleCandidateWithoutScoreIsAProgrammingError() {
        CandidateResult unscored = CandidateResult.measured("u", new CandidateMeasurement(1, 1, new Latency(1, 1, 1)),
                List.of());
        assertThatThrownBy(() -> CandidateRanking.rank(List.of(unscored)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'u' has no score");
    }
}
