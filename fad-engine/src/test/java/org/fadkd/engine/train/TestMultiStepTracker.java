package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TestMultiStepTracker {
    @Test
    void testRepDistillersScheduleEpochByEpoch() {
        // RepDistiller: lr 0.05, ×0.1 at epochs 150, 180, 210 (1-based epoch > milestone, i.e. 0-based >= milestone)
        MultiStepTracker tracker = new MultiStepTracker(0.05, 782, List.of(150, 180, 210), 0.1);

        assertThat(tracker.valueAtEpoch(0)).isEqualTo(0.05);
        assertThat(tracker.valueAtEpoch(149)).isEqualTo(0.05);
        assertThat(tracker.valueAtEpoch(150)).isCloseTo(0.005, within(1e-15));
        assertThat(tracker.valueAtEpoch(179)).isCloseTo(0.005, within(1e-15));
        assertThat(tracker.valueAtEpoch(180)).isCloseTo(0.0005, within(1e-15));
        assertThat(tracker.valueAtEpoch(210)).isCloseTo(0.00005, within(1e-15));
        assertThat(tracker.valueAtEpoch(239)).isCloseTo(0.00005, within(1e-15));
    }

    @Test
    void testDjlUpdatesAreNumberedFromOneWithinEpochs() {
        MultiStepTracker tracker = new MultiStepTracker(1.0, 10, List.of(2, 3), 0.5);

        // updates 1..10 are epoch 0, 11..20 epoch 1, 21..30 epoch 2 (first decay), 31.. epoch 3
        assertThat(tracker.getNewValue(1)).isEqualTo(1f);
        assertThat(tracker.getNewValue(20)).isEqualTo(1f);
        assertThat(tracker.getNewValue(21)).isEqualTo(0.5f);
        assertThat(tracker.getNewValue(30)).isEqualTo(0.5f);
        assertThat(tracker.getNewValue(31)).isEqualTo(0.25f);
        assertThat(tracker.getNewValue(10_000)).isEqualTo(0.25f);
    }

    @Test
    void testInvalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new MultiStepTracker(0.1, 10, List.of(5, 5), 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("milestones [5, 5]");
        assertThatThrownBy(() -> new MultiStepTracker(0.1, 0, List.of(5), 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultiStepTracker(0.1, 10, List.of(5), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
