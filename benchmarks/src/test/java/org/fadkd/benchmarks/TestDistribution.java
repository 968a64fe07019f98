package org.fadkd.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TestDistribution {
    @Test
    void testQuartilesInterpolateAsNumpyDoes() {
        // numpy.percentile([1, 2, 3, 4, 10], [25, 50, 75]) == [2, 3, 4]
        Distribution distribution = Distribution.of(List.of(10.0, 2.0, 4.0, 1.0, 3.0));
        assertThat(distribution).isEqualTo(new Distribution(5, 3, 1, 10, 2, 4));
        // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
        Distribution even = Distribution.of(4, 1, 3, 2);
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(even.q1()).isCloseTo(1.75, within(1e-12));
        assertThat(even.q3()).isCloseTo(3.25, within(1e-12));
    }

    @Test
    void testOneMeasurement() {
        assertThat(Distribution.of(7)).isEqualTo(new Distribution(1, 7, 7, 7, 7, 7));
    }

    @Test
    void testTimesScalesEveryStatistic() {
        assertThat(Distribution.of(1, 2, 3).times(2)).isEqualTo(Distribution.of(2, 4, 6));
        assertThatThrownBy(() -> Distribution.of(1).times(-1)).hasMessageContaining("reverses the order");
    }

    @Test
    void testRejectsNothingAndNaN() {
        assertThatThrownBy(() -> Distribution.of(List.of())).hasMessageContaining("no measurements");
        assertThatThrownBy(() -> Distribution.of(1, Double.NaN)).hasMessageContaining("NaN");
    }
}
