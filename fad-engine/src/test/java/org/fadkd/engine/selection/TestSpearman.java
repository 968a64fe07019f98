package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import org.junit.jupiter.api.Test;

final class TestSpearman {
    @Test
    void testExample10Point2() {
        double[] scores = {0.71, 0.64, 0.69, 0.52, 0.64};
        double[] accuracies = {90.1, 88.0, 89.5, 85.2, 88.4};

        assertThat(Spearman.averageRanks(scores)).containsExactly(5, 2.5, 4, 1, 2.5);
        assertThat(Spearman.averageRanks(accuracies)).containsExactly(5, 2, 4, 1, 3);
        assertThat(Spearman.correlation(scores, accuracies)).isEqualTo(0.9746794345, withPrecision(1e-9));
    }

    @Test
    void testRanksOfRunsOfTies() {
        assertThat(Spearman.averageRanks(new double[] {3, 1, 3, 3, 0})).containsExactly(4, 2, 4, 4, 1);
        assertThat(Spearman.averageRanks(new double[] {})).isEmpty();
        assertThatThrownBy(() -> Spearman.averageRanks(new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void testMonotoneAndReversedOrders() {
        double[] x = {1, 2, 3, 4};
        // any increasing transform keeps the ranks: +1; reversing them: −1
        assertThat(Spearman.correlation(x, new double[] {10, 100, 1000, 10000})).isEqualTo(1.0);
        assertThat(Spearman.correlation(x, new double[] {4, 3, 2, 1})).isEqualTo(-1.0);
    }

    @Test
    void testUndefinedWhenOneSampleIsAllTiesOrTooShort() {
        assertThat(Spearman.correlation(new double[] {1, 2, 3}, new double[] {5, 5, 5})).isNaN();
        assertThat(Spearman.correlation(new double[] {1}, new double[] {2})).isNaN();
        assertThat(Spearman.correlation(new double[] {}, new double[] {})).isNaN();
        assertThatThrownBy(() -> Spearman.correlation(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 1");
    }

    @Test
    void testPearson() {
        assertThat(Pearson.correlation(new double[] {1, 2, 3}, new double[] {2, 4, 7}).getAsDouble())
                .isEqualTo(0.9933992677987828, withPrecision(1e-15));
        assertThat(Pearson.correlation(new double[] {1, 1}, new double[] {2, 3})).isEmpty();
        // a spread of one ulp around 0.3 is rounding, not variance
        assertThat(Pearson.correlation(new double[] {0.3, Math.nextUp(0.3), 0.3}, new double[] {1, 2, 3})).isEmpty();
        assertThat(Pearson.correlation(new double[] {0, 1e-15, 0}, new double[] {1, 2, 1})).isNotEmpty();
    }
}
