package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.measure.Latency;
import org.fadkd.engine.selection.SelectionValidation.Distilled;
import org.junit.jupiter.api.Test;

final class TestSelectionValidation {
    /** fad-spec Example 10.2's scores, candidates a–e, plus a dropped candidate f; 30 s of selection. */
    private static SelectionResult selection() {
        double[] scores = {0.71, 0.64, 0.69, 0.52, 0.64};
        List<CandidateResult> results = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            results.add(new CandidateResult(String.valueOf((char) ('a' + i)),
                    new CandidateMeasurement(1000 + i, 1000 + i, new Latency(1, 1, 1)), List.of(),
                    new double[] {0.1, 0.2}, new FlowAnalysis(0, 1, 0, 0.5), null, scores[i], null));
        }
        results.add(CandidateResult.measured("f", new CandidateMeasurement(9, 9, new Latency(1, 1, 1)),
                List.of("params 9 > max-params 5")));
        return new SelectionResult(CandidateRanking.rank(results), new double[] {0.3, 0.1}, "cka",
                DepthDistribution.L1, 10, 128, 1, new SelectionBudgets(5L, null, null),
                SelectionSettings.Proxy.DEFAULTS, SelectionWeights.DEFAULTS, 30.0);
    }

    /** Candidates a–e distilled to these accuracies in these times. */
    private static Map<String, Distilled> distilled(double[] accuracies, double[] seconds) {
        Map<String, Distilled> distilled = new HashMap<>();
        for (int i = 0; i < accuracies.length; i++) {
            distilled.put(String.valueOf((char) ('a' + i)), new Distilled(accuracies[i], seconds[i]));
        }
        return distilled;
    }

    @Test
    void testExample10Point2AndTheCostOfSelecting() {
        SelectionValidation validation = SelectionValidation.of(selection(),
                distilled(new double[] {90.1, 88.0, 89.5, 85.2, 88.4}, new double[] {100, 100, 150, 50, 200}));

        assertThat(validation.spearman()).isEqualTo(0.9746794345, withPrecision(1e-9));
        assertThat(validation.candidates()).isEqualTo(5);
        assertThat(validation.distillationSeconds()).isEqualTo(600.0);
        assertThat(validation.costFraction()).isEqualTo(0.05);
        // ranked by score: a, c, then b and e tie at 0.64 (b has fewer MACs), then d
        assertThat(validation.rows()).extracting(SelectionValidation.Row::name).containsExactly("a", "c", "b", "e", "d");
        assertThat(validation.best().name()).isEqualTo("a");
        assertThat(validation.winnerShortfall()).isZero();
        assertThat(validation.toJson()).containsEntry("spearman", validation.spearman())
                .containsEntry("candidates", 5).containsEntry("cost_fraction", 0.05).containsEntry("winner", "a");
    }

    @Test
    void testAWinnerThatIsNotTheBestIsReported() {
        SelectionValidation validation = SelectionValidation.of(selection(),
                distilled(new double[] {0.80, 0.84, 0.70, 0.70, 0.70}, new double[] {10, 10, 10, 10, 10}));

        assertThat(validation.best().name()).isEqualTo("b");
        assertThat(validation.winnerShortfall()).isEqualTo(0.04, withPrecision(1e-12));
    }

    @Test
    void testEveryFeasibleCandidateMustBeDistilled() {
        assertThatThrownBy(() -> SelectionValidation.of(selection(), Map.of("a", new Distilled(1, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing [c, b, e, d]");
    }

    @Test
    void testUndefinedCorrelationIsWrittenAsNull() {
        SelectionValidation validation = SelectionValidation.of(selection(),
                distilled(new double[] {0.5, 0.5, 0.5, 0.5, 0.5}, new double[] {1, 1, 1, 1, 1}));

        assertThat(validation.spearman()).isNaN();
        assertThat(validation.toJson()).containsEntry("spearman", null);
    }
}
