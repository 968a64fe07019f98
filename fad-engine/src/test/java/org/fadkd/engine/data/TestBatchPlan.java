package org.fadkd.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class TestBatchPlan {
    @Test
    void testDropLastKeepsOnlyFullBatches() {
        List<int[]> plan = BatchPlan.plan(10, 4, false, true, 0);
        assertThat(plan).hasSize(2);
        assertThat(plan.get(1)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void testEvaluationPlanCoversEverySampleOnceInOrder() {
        List<int[]> plan = BatchPlan.plan(10, 4, false, false, 0);
        assertThat(plan.stream().flatMapToInt(Arrays::stream).toArray()).isEqualTo(IntStream.range(0, 10).toArray());
    }

    @Test
    void testShuffleIsAPermutationDeterminedBySeed() {
        int[] first = BatchPlan.plan(100, 100, true, false, 42).get(0);
        int[] again = BatchPlan.plan(100, 100, true, false, 42).get(0);
        int[] other = BatchPlan.plan(100, 100, true, false, 43).get(0);
        assertThat(first).isEqualTo(again).isNotEqualTo(other);
        assertThat(Arrays.stream(first).sorted().toArray()).isEqualTo(IntStream.range(0, 100).toArray());
    }
}
