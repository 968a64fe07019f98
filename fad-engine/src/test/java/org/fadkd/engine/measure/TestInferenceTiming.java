package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fadkd.engine.TestingComponents;
import org.junit.jupiter.api.Test;

/** The timing loops on scripted durations, and one real run that checks only structure. */
final class TestInferenceTiming {
    private static final long MILLISECOND = 1_000_000L;

    /** A clock that only moves when a pass runs, by the next scripted duration. */
    private static final class ScriptedPasses implements Supplier<InferenceTiming.Pass> {
        private final long[] durations;
        private long now;
        private int created;
        private int ran;
        private int closed;

        ScriptedPasses(long... durationsInMilliseconds) {
            durations = new long[durationsInMilliseconds.length];
            for (int i = 0; i < durations.length; i++) {
                durations[i] = durationsInMilliseconds[i] * MILLISECOND;
            }
        }

        long now() {
            return now;
        }

        @Override
        public InferenceTiming.Pass get() {
            created++;
            return new InferenceTiming.Pass() {
                @Override
                public void run() {
                    now += durations[ran++];
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    private static InferenceTiming timing(TimingSettings settings, ScriptedPasses passes) {
        return new InferenceTiming(settings, passes::now);
    }

    private static void assertEveryPassRanOnceAndClosed(ScriptedPasses passes, int count) {
        assertThat(passes.created).isEqualTo(count);
        assertThat(passes.ran).isEqualTo(count);
        assertThat(passes.closed).isEqualTo(count);
    }

    @Test
    void testLatencyIsTheMedianOfTheTimedRunsAfterAnUntimedWarmup() {
        // Two slow warm-up passes that must not count, then five timed ones.
        ScriptedPasses passes = new ScriptedPasses(900, 800, 5, 1, 4, 2, 3);
        Latency latency = timing(new TimingSettings(2, 5, 64, 0, 1, 0), passes).latency(passes);
        assertThat(latency.runs()).isEqualTo(5);
        assertThat(latency.medianMilliseconds()).isEqualTo(3.0);
        // sorted 1 2 3 4 5: rank 0.9·4 = 3.6 lies 0.6 of the way from 4 to 5
        assertThat(latency.p90Milliseconds()).isCloseTo(4.6, within(1e-9));
        assertEveryPassRanOnceAndClosed(passes, 7);
    }

    @Test
    void testMedianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        ScriptedPasses passes = new ScriptedPasses(4, 1, 3, 2);
        Latency latency = timing(new TimingSettings(0, 4, 64, 0, 1, 0), passes).latency(passes);
        assertThat(latency.medianMilliseconds()).isEqualTo(2.5);
        assertThat(Latency.of(new long[] {7 * MILLISECOND})).isEqualTo(new Latency(7.0, 7.0, 1));
    }

    @Test
    void testThroughputRunsUntilBothTheMinimumBatchesAndTheMinimumTimeAreReached() {
        // Warm-up 1 (untimed), then 2 ms per batch: 3 batches are only 6 ms, so 5 are needed for 10 ms.
        ScriptedPasses passes = new ScriptedPasses(500, 2, 2, 2, 2, 2, 2, 2);
        Throughput throughput = timing(new TimingSettings(0, 1, 64, 1, 3, 0.010), passes).throughput(passes);
        assertThat(throughput.batches()).isEqualTo(5);
        assertThat(throughput.seconds()).isCloseTo(0.010, within(1e-12));
        assertThat(throughput.samplesPerSecond()).isCloseTo(64 * 5 / 0.010, within(1e-6));
        assertEveryPassRanOnceAndClosed(passes, 6);
    }

    @Test
    void testThroughputStopsAtTheMinimumBatchesWhenTheyTakeLongEnough() {
        ScriptedPasses passes = new ScriptedPasses(10, 20, 30, 40);
        Throughput throughput = timing(new TimingSettings(0, 1, 8, 0, 3, 0.001), passes).throughput(passes);
        assertThat(throughput).isEqualTo(new Throughput(8 * 3 / 0.060, 8, 3, 0.060));
    }

    @Test
    void testSettingsRejectValuesThatCannotTime() {
        assertThatThrownBy(() -> new TimingSettings(0, 0, 64, 10, 50, 2)).hasMessageContaining("latencyRuns");
        assertThatThrownBy(() -> new TimingSettings(0, 1, 64, 10, 50, -1)).hasMessageContaining("throughputMinSeconds");
        assertThat(TimingSettings.DEFAULTS).isEqualTo(new TimingSettings(20, 100, 64, 10, 50, 2.0));
    }

    @Test
    void testARealModelGivesPositiveTimingsAndLeavesNothingInTheCallersManager() {
        Block block = TestingComponents.mlp(16).newBlock(new Shape(8), 4);
        InferenceTiming timing = new InferenceTiming(new TimingSettings(2, 5, 4, 1, 3, 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            NDList sample = new NDList(manager.randomUniform(0f, 1f, new Shape(1, 8)));
            NDList batch = new NDList(manager.randomUniform(0f, 1f, new Shape(4, 8)));
            List<NDArray> before = new ArrayList<>(manager.getManagedArrays());
            Latency latency = timing.latency(block, sample);
            Throughput throughput = timing.throughput(block, batch);
            assertThat(latency.runs()).isEqualTo(5);
            assertThat(latency.medianMilliseconds()).isPositive();
            assertThat(latency.p90Milliseconds()).isGreaterThanOrEqualTo(latency.medianMilliseconds());
            assertThat(throughput.batches()).isEqualTo(3);
            assertThat(throughput.batchSize()).isEqualTo(4);
            assertThat(throughput.samplesPerSecond()).isPositive();
            assertThat(manager.getManagedArrays()).containsExactlyInAnyOrderElementsOf(before);
            assertThatThrownBy(() -> timing.throughput(block, sample)).hasMessageContaining("not a batch of 4");
        }
    }
}
