package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.junit.jupiter.api.Test;

final class TestBatchPrefetcher {
    private static List<int[]> plan(int batches) {
        List<int[]> plan = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            plan.add(new int[] {2 * b, 2 * b + 1});
        }
        return plan;
    }

    /** A batch whose input holds the indices, and whose label array counts the loads in flight. */
    private static BatchPrefetcher.Loader indices(AtomicInteger built) {
        return (manager, indices) -> {
            built.incrementAndGet();
            float[] values = {indices[0], indices[1]};
            return new LabeledBatch(new NDList(manager.create(values)), new NDList(manager.create(new long[] {0, 1})));
        };
    }

    private static boolean loaderAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("test-loader") && thread.isAlive());
    }

    @Test
    void testBatchesComeInPlanOrderEachInItsOwnManager() {
        for (int depth : new int[] {0, 1, 3}) {
            try (NDManager parent = NDManager.newBaseManager()) {
                AtomicInteger built = new AtomicInteger();
                try (BatchPrefetcher batches = BatchPrefetcher.start(plan(7), indices(built), parent, depth, "test-loader")) {
                    assertThat(batches.depth()).isEqualTo(depth);
                    for (int b = 0; b < 7; b++) {
                        try (BatchPrefetcher.Prepared prepared = batches.next()) {
                            assertThat(prepared.batch().inputs().head().toFloatArray())
                                    .containsExactly(2 * b, 2 * b + 1);
                            assertThat(prepared.batch().inputs().head().getManager()).isSameAs(prepared.manager());
                            assertThat(parent.getManagedArrays()).hasSizeLessThanOrEqualTo(2 * (depth + 1));
                        }
                    }
                    assertThatThrownBy(batches::next).isInstanceOf(java.util.NoSuchElementException.class);
                }
                assertThat(built.get()).isEqualTo(7);
                assertThat(parent.getManagedArrays()).isEmpty();
            }
        }
        assertThat(loaderAlive()).isFalse();
    }

    @Test
    void testClosingEarlyClosesEveryBatchNotHandedOverAndStopsTheLoader() throws InterruptedException {
        try (NDManager parent = NDManager.newBaseManager()) {
            AtomicInteger built = new AtomicInteger();
            BatchPrefetcher batches = BatchPrefetcher.start(plan(50), indices(built), parent, 4, "test-loader");
            batches.next().close();
            BatchPrefetcher.Prepared kept = batches.next();
            Thread.sleep(200); // the loader fills its 4 places
            assertThat(built.get()).isEqualTo(6);
            batches.close();
            assertThat(loaderAlive()).isFalse();
            // Only the batch handed over and not closed yet is left; its owner closes it.
            assertThat(parent.getManagedArrays()).hasSize(2);
            kept.close();
            assertThat(parent.getManagedArrays()).isEmpty();
            assertThat(built.get()).isEqualTo(6);
        }
    }

    @Test
    void testALoadFailureFailsTheStepOfThatBatchWithTheSameException() {
        FadException corrupt = new FadException(ErrorCode.DATA_MISSING, "Image 'b/3.jpg' cannot be decoded: bad.");
        AtomicInteger built = new AtomicInteger();
        BatchPrefetcher.Loader loader = (manager, indices) -> {
            if (indices[0] == 6) {
                manager.create(new float[] {1}); // left in the failed batch's manager, which is closed
                throw corrupt;
            }
            return indices(built).load(manager, indices);
        };
        try (NDManager parent = NDManager.newBaseManager()) {
            try (BatchPrefetcher batches = BatchPrefetcher.start(plan(10), loader, parent, 2, "test-loader")) {
                for (int b = 0; b < 3; b++) {
                    batches.next().close();
                }
                assertThatThrownBy(batches::next).isSameAs(corrupt);
            }
            assertThat(parent.getManagedArrays()).isEmpty();
            assertThat(built.get()).isEqualTo(3);
        }
        assertThat(loaderAlive()).isFalse();
    }

    @Test
    void testAnInterruptedWaitStopsTrainingAndTheLoaderFinishesItsBatch() {
        BatchPrefetcher.Loader slow = (manager, indices) -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new AssertionError("the loader is never interrupted", e);
            }
            return new LabeledBatch(new NDList(manager.create(new float[] {indices[0]})), new NDList());
        };
        try (NDManager parent = NDManager.newBaseManager()) {
            try (BatchPrefetcher batches = BatchPrefetcher.start(plan(5), slow, parent, 2, "test-loader")) {
                Thread.currentThread().interrupt();
                assertThatThrownBy(batches::next).isInstanceOf(StopRequest.TrainingStoppedException.class)
                        .hasMessageContaining("interrupted while waiting for the next batch");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                assertThat(Thread.interrupted()).as("close keeps the interrupt").isTrue();
            }
            assertThat(loaderAlive()).isFalse();
            assertThat(parent.getManagedArrays()).isEmpty();
        }
    }
}
