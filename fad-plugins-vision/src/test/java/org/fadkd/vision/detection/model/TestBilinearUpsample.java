package org.fadkd.vision.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

/** Bilinear ×2 with align_corners = false, against values worked out by hand (as PyTorch gives them). */
final class TestBilinearUpsample {
    @Test
    void testTwoByTwo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray maps = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            NDArray up = new BilinearUpsample().forward(new ParameterStore(manager, false), new NDList(maps), false)
                    .singletonOrThrow();
            assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            // rows: r0, 0.75·r0 + 0.25·r1, 0.25·r0 + 0.75·r1, r1; then the same along each row
            assertThat(up.toFloatArray()).containsExactly(new float[] {
                1.00f, 1.25f, 1.75f, 2.00f,
                1.50f, 1.75f, 2.25f, 2.50f,
                2.50f, 2.75f, 3.25f, 3.50f,
                3.00f, 3.25f, 3.75f, 4.00f}, within(1e-6f));
        }
    }

    /** One row of three (channel 1 of two), a 1-pixel axis replicated: output (2i) = 0.75·x[i] + 0.25·x[i−1]. */
    @Test
    void testOneByThreeKeepsChannelsApart() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray maps = manager.create(new float[] {0, 0, 0, 4, 8, 0}, new Shape(1, 2, 1, 3));
            NDArray up = new BilinearUpsample().forward(new ParameterStore(manager, false), new NDList(maps), false)
                    .singletonOrThrow();
            assertThat(up.getShape()).isEqualTo(new Shape(1, 2, 2, 6));
            float[] row = {4, 5, 7, 6, 2, 0};
            float[] expected = new float[24];
            System.arraycopy(row, 0, expected, 12, 6);
            System.arraycopy(row, 0, expected, 18, 6);
            assertThat(up.toFloatArray()).containsExactly(expected, within(1e-6f));
        }
    }
}
