package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

/** {@link AdaptiveAveragePool} averages PyTorch's bins: rows ⌊i·H/s⌋ to ⌈(i+1)·H/s⌉ − 1. */
final class TestAdaptiveAveragePool {
    private static NDArray pool(int side, NDArray maps) {
        AdaptiveAveragePool block = new AdaptiveAveragePool(side);
        block.initialize(maps.getManager(), DataType.FLOAT32, maps.getShape());
        return block.forward(new ParameterStore(maps.getManager(), false), new NDList(maps), false)
                .singletonOrThrow();
    }

    @Test
    void testOverlappingBins() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 3 → 2: bins {0, 1} and {1, 2} in both directions
            NDArray maps = manager.arange(9f).reshape(1, 1, 3, 3);

            NDArray pooled = pool(2, maps);

            assertThat(pooled.getShape()).isEqualTo(new Shape(1, 1, 2, 2));
            assertThat(pooled.toFloatArray())
                    .containsExactly(new float[] {2, 3, 5, 6}, within(1e-6f));
        }
    }

    @Test
    void testReplicatesASinglePixel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray maps = manager.create(new float[] {5f, -1f}, new Shape(1, 2, 1, 1));

            NDArray pooled = pool(7, maps);

            assertThat(pooled.getShape()).isEqualTo(new Shape(1, 2, 7, 7));
            assertThat(pooled.get(0, 0).toFloatArray()).containsOnly(5f);
            assertThat(pooled.get(0, 1).toFloatArray()).containsOnly(-1f);
        }
    }

    @Test
    void testMapsOfTheTargetSizePassThrough() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray maps = manager.randomNormal(new Shape(2, 3, 7, 7));

            assertThat(pool(7, maps)).isSameAs(maps);
        }
    }
}
