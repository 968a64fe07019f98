package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fadkd.engine.measure.Latency;
import org.junit.jupiter.api.Test;

final class TestSelectionBudgets {
    private static CandidateMeasurement measured(long params, long macs, double latencyMs) {
        return new CandidateMeasurement(params, macs, new Latency(latencyMs, latencyMs, 1));
    }

    @Test
    void testReasonsInTheSpecsFormat() {
        SelectionBudgets budgets = new SelectionBudgets(100_000L, 0.5, 2.0);

        // fad-spec §10: "gflops 0.61 > max-gflops 0.50"
        assertThat(budgets.violations(measured(50_000, 610_000_000, 1.0)))
                .containsExactly("gflops 0.61 > max-gflops 0.50");
        assertThat(budgets.violations(measured(120_000, 700_000_000, 2.345)))
                .containsExactly(
                        "params 120000 > max-params 100000",
                        "gflops 0.70 > max-gflops 0.50",
                        "latency_ms 2.35 > max-latency-ms 2.00");
    }

    @Test
    void testValuesAtTheBudgetAreWithinIt() {
        SelectionBudgets budgets = new SelectionBudgets(24_058L, 0.001919872, 1.5);

        assertThat(budgets.violations(measured(24_058, 1_919_872, 1.5))).isEmpty();
        assertThat(budgets.violations(measured(24_059, 1_919_873, 1.5000001))).hasSize(3);
    }

    @Test
    void testSmallValuesShowTheDecimalsThatTellThemApart() {
        SelectionBudgets budgets = new SelectionBudgets(null, 0.0019, null);

        // two decimals would read "0.00 > 0.00"
        assertThat(budgets.violations(measured(1, 1_963_104, 0)))
                .containsExactly("gflops 0.0020 > max-gflops 0.0019");
        assertThat(new SelectionBudgets(null, null, 0.25).violations(measured(1, 1, 0.2512)))
                .containsExactly("latency_ms 0.251 > max-latency-ms 0.250");
        // the budget is shown with a significant digit, never as 0.000000
        assertThat(new SelectionBudgets(null, 1e-7, null).violations(measured(1, 960, 0)))
                .containsExactly("gflops 0.0000010 > max-gflops 0.0000001");
    }

    @Test
    void testNoBudgets() {
        assertThat(SelectionBudgets.NONE.violations(measured(Long.MAX_VALUE, Long.MAX_VALUE, 1e9))).isEmpty();
        assertThat(SelectionBudgets.NONE.describe()).isEqualTo("no budgets");
        assertThat(new SelectionBudgets(100_000L, 0.005, null).describe())
                .isEqualTo("max-params 100000, max-gflops 0.005");
    }

    @Test
    void testRejectsBudgetsThatNothingCouldMeet() {
        assertThatThrownBy(() -> new SelectionBudgets(0L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SelectionBudgets(null, -1.0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SelectionBudgets(null, null, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
