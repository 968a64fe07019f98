package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/**
 * The expected values come from torch.optim.lr_scheduler.OneCycleLR's formulas (defaults
 * pct_start 0.3, anneal_strategy 'cos', div_factor 25, final_div_factor 1e4, three_phase False),
 * worked out here by hand:
 *
 * <pre>
 *   initial_lr = max_lr / div_factor            min_lr = initial_lr / final_div_factor
 *   phase 1: end_step = float(pct_start * total_steps) - 1, initial_lr -> max_lr
 *   phase 2: end_step = total_steps - 1,                   max_lr -> min_lr
 *   get_lr(step): the first phase with step <= end_step (else the last),
 *                 pct = (step - start_step) / (end_step - start_step), start_step = the previous end_step (0 first)
 *   _annealing_cos(start, end, pct) = end + (start - end) / 2 * (cos(pi * pct) + 1)
 * </pre>
 */
final class TestOneCycleTracker {
    private static final double MAX = 0.1;
    private static final double INITIAL = MAX / 25; // 0.004
    private static final double MIN = INITIAL / 1e4; // 4e-7

    private static double cos(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Test
    void testStartPeakAndEndOfAHundredStepsAreOneCycleLrs() {
        // 100 steps: phase 1 ends at 0.3 * 100 - 1 = 29, phase 2 at 99.
        OneCycleTracker tracker = OneCycleTracker.of(MAX, 100);
        assertThat(tracker.valueAt(0)).isCloseTo(INITIAL, withinPercentage(1e-10)); // pct 0: initial_lr
        assertThat(tracker.valueAt(14)).isCloseTo(cos(INITIAL, MAX, 14 / 29.0), withinPercentage(1e-10));
        assertThat(tracker.valueAt(29)).isCloseTo(MAX, withinPercentage(1e-10)); // the peak, at 30 % of the run
        assertThat(tracker.valueAt(30)).isCloseTo(cos(MAX, MIN, 1 / 70.0), withinPercentage(1e-10));
        // Step 64 is halfway down (pct = 35 / 70): the mean of max_lr and min_lr.
        assertThat(tracker.valueAt(64)).isCloseTo((MAX + MIN) / 2, withinPercentage(1e-10));
        assertThat(tracker.valueAt(99)).isCloseTo(MIN, withinPercentage(1e-10)); // pct 1: min_lr
        assertThat(tracker.valueAt(29)).isGreaterThan(tracker.valueAt(28)).isGreaterThan(tracker.valueAt(30));
    }

    @Test
    void testPhaseEndOffTheStepGridIsPyTorchsFloatEnd() {
        // 7 steps: phase 1 ends at 0.3 * 7 - 1 = 1.1, between steps 1 and 2.
        OneCycleTracker tracker = OneCycleTracker.of(MAX, 7);
        double end = 0.3 * 7 - 1;
        assertThat(tracker.valueAt(1)).isCloseTo(cos(INITIAL, MAX, 1 / end), withinPercentage(1e-10));
        assertThat(tracker.valueAt(2)).isCloseTo(cos(MAX, MIN, (2 - end) / (6 - end)), withinPercentage(1e-10));
        assertThat(tracker.valueAt(6)).isCloseTo(MIN, withinPercentage(1e-10));
    }

    @Test
    void testDjlUpdateNumberNUsesPyTorchStepNMinusOne() {
        // DJL's optimizers ask for update 1 first; PyTorch's first optimizer.step() uses step 0's rate.
        OneCycleTracker tracker = OneCycleTracker.of(MAX, 100);
        assertThat(tracker.getNewValue(1)).isEqualTo((float) INITIAL);
        assertThat(tracker.getNewValue(30)).isEqualTo((float) MAX);
        assertThat(tracker.getNewValue(100)).isEqualTo((float) MIN);
        // Past the run the last rate holds (PyTorch raises there).
        assertThat(tracker.getNewValue(101)).isEqualTo((float) MIN);
        assertThat(tracker.getNewValue(0)).isEqualTo((float) INITIAL);
    }

    @Test
    void testOtherFactorsAndRejectedArguments() {
        OneCycleTracker tracker = new OneCycleTracker(1.0, 10, 0.5, 10, 100);
        assertThat(tracker.valueAt(0)).isCloseTo(0.1, withinPercentage(1e-10));
        assertThat(tracker.valueAt(4)).isCloseTo(1.0, withinPercentage(1e-10)); // 0.5 * 10 - 1 = 4
        assertThat(tracker.valueAt(9)).isCloseTo(0.001, withinPercentage(1e-10));
        assertThatThrownBy(() -> OneCycleTracker.of(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxValue 0.0");
        assertThatThrownBy(() -> OneCycleTracker.of(0.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.valueAt(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
