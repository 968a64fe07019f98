package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.fadkd.api.LabeledBatch;
import org.junit.jupiter.api.Test;

final class TestTextSplit {
    private static final long PAD = 7;

    private final TextSplit split =
            new TextSplit(
                    new int[][] {{2, 10, 11, 3}, {2, 12, 3}, {2, 13, 14, 15, 16, 3}},
                    new int[] {1, 0, 1},
                    PAD);

    @Test
    void testBatchIsPaddedToItsLongestSampleWithAMask() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledBatch batch = split.getBatch(manager, new int[] {1, 0});

            assertThat(batch.inputs()).hasSize(2);
            NDArray ids = batch.inputs().get(0);
            NDArray mask = batch.inputs().get(1);
            // the longest of samples 1 and 0 has 4 ids: sample 2's 6 do not count
            assertThat(ids.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(mask.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
            assertThat(mask.getDataType()).isEqualTo(DataType.INT64);
            assertThat(ids.toLongArray()).containsExactly(2, 12, 3, PAD, 2, 10, 11, 3);
            assertThat(mask.toLongArray()).containsExactly(1, 1, 1, 0, 1, 1, 1, 1);
            NDArray labels = batch.labels().singletonOrThrow();
            assertThat(labels.getDataType()).isEqualTo(DataType.INT64);
            assertThat(labels.toLongArray()).containsExactly(0, 1);
        }
    }

    @Test
    void testBatchOfOneHasNoPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LabeledBatch batch = split.getBatch(manager, new int[] {2});

            assertThat(batch.inputs().get(0).getShape()).isEqualTo(new Shape(1, 6));
            assertThat(batch.inputs().get(1).toLongArray()).containsOnly(1);
        }
    }

    @Test
    void testClassLabelsWithoutBatchingAndIndexChecks() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(split.getClassLabels(manager)).containsExactly(1, 0, 1);
            assertThat(split.size()).isEqualTo(3);
            assertThatThrownBy(() -> split.getBatch(manager, new int[] {3}))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("sample index 3 outside [0, 3)");
            assertThatThrownBy(() -> split.getBatch(manager, new int[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
